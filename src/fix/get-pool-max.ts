/**
 * @fileoverview The pool size for a file's connections: the most concurrent invocations one
 * worker of any function using the file can see, worked out from the infrastructure code that
 * declares the function the same way the pool-undersized rule does (so a fixed pool is never
 * reported as too small). Undefined when no function says: the transform then uses its default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isTerraformFile, parseTerraformFiles, readInfrastructure, type IacFunction } from '../iac/index.js';
import { perWorkerConcurrency } from '../iac/settings.js';
import type { Report } from '../types.js';

export interface PoolMax {
  max: number;
  source: string;
}

export async function createPoolMaxLookup(report: Report, cwd: string): Promise<(functionIds: string[]) => PoolMax | undefined> {
  const cache = new Map<string, IacFunction[]>();
  const readFile = (f: string) => fs.readFileSync(f, 'utf8');
  // A Terraform function is read with its whole root module (every .tf file of its directory),
  // parsed up front: the HCL parser is asynchronous, the readers are not.
  const terraformDirs = [
    ...new Set(
      report.functions.flatMap((fn) => (fn.declaredIn && isTerraformFile(fn.declaredIn.file) ? [path.dirname(path.resolve(cwd, fn.declaredIn.file))] : [])),
    ),
  ];
  const moduleFiles = (dir: string) => {
    try {
      return fs
        .readdirSync(dir)
        .filter(isTerraformFile)
        .map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  };
  const terraform = terraformDirs.length ? await parseTerraformFiles(terraformDirs.flatMap(moduleFiles), readFile) : undefined;
  const functionsOf = (file: string): IacFunction[] => {
    const abs = path.resolve(cwd, file);
    let list = cache.get(abs);
    if (!list) {
      try {
        const tf = isTerraformFile(abs);
        const template = tf || /\.(ya?ml|json)$/i.test(abs);
        list = readInfrastructure({
          infraFiles: tf ? moduleFiles(path.dirname(abs)) : template ? [abs] : [],
          ...(terraform ? { terraform } : {}),
          sourceFiles: template ? [] : [abs],
          readFile,
        }).functions;
      } catch {
        list = [];
      }
      cache.set(abs, list);
    }
    return list;
  };
  return (functionIds) => {
    let best: PoolMax | undefined;
    for (const id of functionIds) {
      const fn = report.functions.find((f) => f.id === id);
      if (!fn?.declaredIn) continue;
      const iac = functionsOf(fn.declaredIn.file).find((f) => f.logicalId === fn.declaredIn!.logicalId);
      const per = iac ? perWorkerConcurrency(iac) : undefined;
      if (!per) continue;
      const max = per.perWorker;
      const source = `${fn.declaredIn.logicalId}: ${per.formula}`;
      if (!best || max > best.max) best = { max, source };
    }
    return best;
  };
}
