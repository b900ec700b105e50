/**
 * @fileoverview Absolute imports of Lambda layer code: a layer's archive is extracted to `/opt`,
 * so a function imports its modules as `/opt/nodejs/config.mjs`, `/opt/lib/request.js` or
 * `/opt/common/util`. The layer's source is in the repository under some folder
 * (`layer/src/nodejs/config.mjs`, `src/layers/common/util.ts`, `common-modules-layer/lib/…`):
 * the import resolves to the one project file whose path ends with what follows `/opt/`
 * (with `nodejs/` and `nodejs/node_modules/` also tried without, as a build step may add them).
 * Several candidates resolve to the one under a folder named like a layer, or else to none: a
 * guess between two files would follow the wrong code.
 */
import * as path from 'node:path';

const LAYER_PREFIXES = ['nodejs/node_modules/', 'nodejs/'];

export class LayerFiles {
  private byStem?: Map<string, string[]>;

  /**
   * @param files the project's files
   * @param candidates the file names a path may stand for (extensions, `index`, `.js` -> `.ts`), in order
   */
  constructor(
    private readonly files: ReadonlySet<string>,
    private readonly candidates: (base: string) => string[],
  ) {}

  /** The project file an `/opt/...` specifier names, when exactly one fits. */
  resolve(specifier: string): string | undefined {
    if (!specifier.startsWith('/opt/')) return undefined;
    const rest = path.posix.normalize(specifier.slice('/opt/'.length));
    if (rest === '' || rest.startsWith('..')) return undefined;
    const rests = [rest, ...LAYER_PREFIXES.filter((p) => rest.startsWith(p)).map((p) => rest.slice(p.length))];
    for (const r of rests) {
      const found = this.unique(r);
      if (found) return found;
    }
    return undefined;
  }

  private unique(rest: string): string | undefined {
    const suffixes = this.candidates(rest).map((c) => path.sep + c.split('/').join(path.sep));
    const matches = new Set<string>();
    for (const suffix of suffixes) {
      for (const file of this.stemIndex().get(stemOf(suffix)) ?? []) if (file.endsWith(suffix)) matches.add(file);
      if (matches.size > 0) break; // the first form that names a file wins, as the runtime's own lookup does
    }
    if (matches.size === 1) return [...matches][0];
    const inLayer = [...matches].filter((file) => file.split(path.sep).some((segment) => /layer/i.test(segment)));
    return inLayer.length === 1 ? inLayer[0] : undefined;
  }

  private stemIndex(): Map<string, string[]> {
    if (this.byStem) return this.byStem;
    const byStem = new Map<string, string[]>();
    for (const file of this.files) {
      const stem = stemOf(file);
      let list = byStem.get(stem);
      if (!list) byStem.set(stem, (list = []));
      list.push(file);
    }
    this.byStem = byStem;
    return byStem;
  }
}

/** The file name without its extension (`config.mjs` -> `config`). */
function stemOf(file: string): string {
  const base = path.basename(file);
  const dot = base.indexOf('.');
  return dot <= 0 ? base : base.slice(0, dot);
}
