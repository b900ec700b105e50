/**
 * @fileoverview The pool size for a file's connections: the most concurrent invocations one
 * worker of any function using the file can see, worked out from the infrastructure code that
 * declares the function the same way the pool-undersized rule does (so a fixed pool is never
 * reported as too small). Undefined when no function says: the transform then uses its default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInfrastructure, type IacFunction } from '../iac/index.js';
import { perWorkerConcurrency } from '../iac/settings.js';
import type { Report } from '../types.js';

export interface PoolMax {
  max: number;
  source: string;
}

export function createPoolMaxLookup(report: Report, cwd: string): (functionIds: string[]) => PoolMax | undefined {
  const cache = new Map<string, IacFunction[]>();
  const functionsOf = (file: string): IacFunction[] => {
    const abs = path.resolve(cwd, file);
    let list = cache.get(abs);
    if (!list) {
      try {
        const template = /\.(ya?ml|json)$/i.test(abs);
        list = readInfrastructure({
          infraFiles: template ? [abs] : [],
          sourceFiles: template ? [] : [abs],
          readFile: (f) => fs.readFileSync(f, 'utf8'),
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
