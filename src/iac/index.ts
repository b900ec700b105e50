/**
 * @fileoverview Reads infrastructure code into one function model, so the scanner knows which
 * code file and export is each Lambda's handler (the name in infrastructure wins over
 * conventions), plus each function's settings, event sources and failure handling. Nothing read here is executed: templates are
 * parsed as data and CDK apps are read from their syntax tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScanError } from '../types.js';
import { readers } from './readers.js';
import type { IacFunction, IacResult, InfrastructureReader, ReadInfrastructureInput, ReaderContext } from './types.js';
import { compareStrings as compare } from '../util/compare-strings.js';

export type { IacAlarm, IacEventSource, IacFunction, IacQueue, IacResult, ReadInfrastructureInput } from './types.js';
export { isTerraformFile, parseTerraformFiles } from './terraform.js';

/** Build output that repeats the real definitions (synthesized CDK templates, packaged SAM templates, Terraform's copies of child modules). */
function isGenerated(file: string): boolean {
  return /(^|[\\/])(cdk\.out|\.aws-sam|\.serverless|\.terraform)([\\/]|$)/.test(file);
}

export function readInfrastructure(input: ReadInfrastructureInput): IacResult {
  const errors: ScanError[] = [];
  const sources = new Set(input.sourceFiles.map((file) => path.resolve(file)));
  const existence = new Map<string, boolean>();
  const otherClouds: string[] = [];
  const ctx: ReaderContext = {
    readFile: input.readFile,
    errors,
    otherClouds,
    ...(input.terraform ? { terraform: input.terraform } : {}),
    fileExists(absPath) {
      const file = path.resolve(absPath);
      if (sources.has(file)) return true;
      let exists = existence.get(file);
      if (exists === undefined) {
        try {
          exists = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
        } catch {
          exists = false;
        }
        existence.set(file, exists);
      }
      return exists;
    },
  };

  const functions: IacFunction[] = [];
  const guarded = (file: string, read: () => IacFunction[]): void => {
    try {
      functions.push(...read());
    } catch (error) {
      errors.push({ file, message: `could not read infrastructure: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  const readFileOnce = (file: string): (() => string) => {
    let text: string | undefined;
    return () => (text ??= input.readFile(file));
  };
  const readAll = (files: string[], kind: InfrastructureReader['reads']): void => {
    const ofKind = readers.filter((reader) => reader.reads === kind);
    for (const file of unique(files)) {
      if (isGenerated(file)) continue;
      guarded(file, () => {
        const text = readFileOnce(file);
        const reader = ofKind.find((r) => r.accepts(file, text));
        return reader ? reader.read(file, ctx, text) : [];
      });
    }
  };
  readAll(input.infraFiles, 'infrastructure');
  readAll(input.cdkCandidates ?? input.sourceFiles, 'source');
  let finished = functions;
  for (const reader of readers) if (reader.finish) finished = reader.finish(finished, ctx);

  finished.sort((a, b) => compare(a.source.file, b.source.file) || a.source.line - b.source.line || compare(a.logicalId, b.logicalId));
  errors.sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compare(a.message, b.message));
  return { functions: finished, errors, ...(otherClouds.length > 0 ? { otherClouds: otherClouds.sort(compare) } : {}) };
}

function unique(files: string[]): string[] {
  return [...new Set(files.map((file) => path.resolve(file)))];
}
