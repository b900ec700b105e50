/**
 * @fileoverview The dense benchmark corpus: where bench/generate.ts writes handlers that reach one
 * to three small helpers, here every handler reaches deep helper chains (`lib/chain-<c>/step-<p>.ts`,
 * each step importing the next, six steps), every step has a class whose methods write module
 * state across an `await`, a module-level cache, a static `/tmp` write and `console.*` calls in
 * every function: many findings per function and a large reach per handler, the work that the
 * graph and rules phases grow with. Deterministic: the same N gives a byte-identical corpus.
 */
import { writeCorpusFiles, type CorpusManifest } from './generate.js';

/** Bumped whenever the output for a given N changes. */
export const DENSE_GENERATOR_VERSION = 2;
const DEPTH = 6;
/** Local helper functions per step module, each calling the next. */
const LOCAL_HELPERS = 6;

function stepSource(chain: number, step: number, last: boolean): string {
  const S = `Step${step}`;
  const lines = [
    "import { writeFileSync } from 'node:fs';",
    ...(last ? [] : [`import { step${step + 1}Run, Step${step + 1}Store } from './step-${step + 1}.js';`]),
    '',
    'let lastKey: string | undefined;',
    'let callCount = 0;',
    'const seen = new Map<string, number>();',
    'const recent: string[] = [];',
    '',
    `export class ${S}Store {`,
    '  private readonly items = new Map<string, unknown>();',
    '  async put(key: string, value: unknown): Promise<void> {',
    '    lastKey = key;',
    "    console.log('put', key);",
    '    await Promise.resolve();',
    '    this.items.set(key, value);',
    '    recent.push(key);',
    '  }',
    '  async get(key: string): Promise<unknown> {',
    "    console.log('get', key, lastKey);",
    '    if (!seen.has(key)) {',
    '      await Promise.resolve();',
    '      seen.set(key, callCount);',
    '    }',
    '    return this.items.get(key);',
    '  }',
    '}',
    '',
    `const store = new ${S}Store();`,
    ...(last ? [] : [`const inner = new Step${step + 1}Store();`]),
    '',
  ];
  for (let h = 0; h < LOCAL_HELPERS; h++) {
    const next = h + 1 < LOCAL_HELPERS ? `helper${h + 1}(id, depth + 1)` : 'depth';
    lines.push(
      `function helper${h}(id: string, depth: number): number {`,
      `  callCount += ${h + 1};`,
      `  lastKey = id + ':${h}';`,
      `  console.debug('helper${h}', id, depth);`,
      `  return ${next};`,
      '}',
      '',
    );
  }
  lines.push(
    `export async function step${step}Run(id: string, payload: Record<string, unknown>): Promise<number> {`,
    '  callCount++;',
    '  lastKey = id;',
    "  console.log('step', id, callCount);",
    '  if (!seen.has(id)) {',
    '    await store.put(id, payload);',
    '    seen.set(id, callCount);',
    '  }',
    `  writeFileSync('/tmp/chain-${chain}-step-${step}.json', JSON.stringify(payload));`,
    '  const depth = helper0(id, 0);',
    ...(last ? ['  const next = depth;'] : ['  await inner.put(id, payload);', `  const next = await step${step + 1}Run(id, payload);`]),
    "  console.info('done', id, next);",
    '  return next + 1;',
    '}',
    '',
  );
  return lines.join('\n');
}

function handlerSource(steps: Array<{ chain: number; step: number }>, depth: string): string {
  const imports = steps.map(
    ({ chain, step }, i) => `import { step${step}Run as run${i}, Step${step}Store as Store${i} } from '${depth}lib/chain-${chain}/step-${step}.js';`,
  );
  const calls = steps.flatMap((_, i) => [
    `  const r${i} = await run${i}(event.id, event.body ?? {});`,
    `  console.log('step', ${i}, r${i});`,
    `  await stores${i}.put(event.id, r${i});`,
  ]);
  return [
    ...imports,
    '',
    'let lastRequest: string | undefined;',
    'let handled = 0;',
    'const results = new Map<string, number>();',
    ...steps.map((_, i) => `const stores${i} = new Store${i}();`),
    '',
    'function remember(id: string, total: number): void {',
    '  handled++;',
    '  results.set(id, total);',
    "  console.log('remember', id, total, handled);",
    '}',
    '',
    'export const handler = async (event: { id: string; body?: Record<string, unknown> }, context: { awsRequestId: string }) => {',
    '  lastRequest = event.id;',
    "  console.log('start', event.id, context.awsRequestId);",
    '  if (results.has(event.id)) return { cached: results.get(event.id) };',
    ...calls,
    `  const total = ${steps.map((_, i) => `r${i}`).join(' + ')};`,
    '  remember(event.id, total);',
    "  console.log('end', lastRequest, total);",
    '  return { total };',
    '};',
    '',
  ].join('\n');
}

/** The dense corpus of `n` source files: one fifth step modules (chains of six), the rest handlers reaching three chains each. */
function generateDenseCorpus(n: number): { files: Map<string, string>; manifest: CorpusManifest } {
  if (!Number.isInteger(n) || n < 10 * DEPTH) throw new RangeError(`dense corpus size must be an integer >= ${10 * DEPTH} (got ${n})`);
  const chains = Math.max(1, Math.floor(n / 5 / DEPTH));
  const files = new Map<string, string>();
  for (let c = 0; c < chains; c++) {
    for (let s = 0; s < DEPTH; s++) files.set(`lib/chain-${c}/step-${s}.ts`, stepSource(c, s, s === DEPTH - 1));
  }
  const handlerCount = n - chains * DEPTH;
  // The shallowest step of each chain some handler enters: it and the steps below it are reached.
  const entered = new Array<number>(chains).fill(DEPTH);
  for (let h = 0; h < handlerCount; h++) {
    // Three chains each, entered at steps 0 to 2.
    const steps = [0, 1, 2].map((k) => ({ chain: (h * 3 + k * 7) % chains, step: (h + k * 2) % 3 }));
    for (const { chain, step } of steps) entered[chain] = Math.min(entered[chain]!, step);
    files.set(`services/svc-${Math.floor(h / 20)}/handlers/h-${h}.ts`, handlerSource(steps, '../../../'));
  }
  let lines = 0;
  for (const text of files.values()) lines += text.split('\n').length - 1;
  const sourceCount = files.size;
  files.set('package.json', JSON.stringify({ name: 'bench-dense', private: true, type: 'module' }, null, 2) + '\n');
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const manifest: CorpusManifest = {
    generatorVersion: DENSE_GENERATOR_VERSION,
    seed: 0,
    n,
    files: sourceCount,
    lines,
    handlers: [],
    libs: [],
    // One static /tmp write per step module a handler reaches.
    counts: {
      handlers: handlerCount,
      libs: chains * DEPTH,
      moduleLet: 0,
      staticTmp: entered.reduce((sum, step) => sum + DEPTH - step, 0),
      uniqueTmp: 0,
      pgClient: 0,
      pgPool: 0,
      mapCache: 0,
      consoleLog: 0,
      consoleCalls: 0,
    },
  };
  return { files: sorted, manifest };
}

/** Write the dense corpus to `dir` (emptied first), with `.manifest.json`, `.meta.json` and an empty `.git`, as writeCorpus does. */
export function writeDenseCorpus(dir: string, n: number): CorpusManifest {
  const corpus = generateDenseCorpus(n);
  writeCorpusFiles(dir, corpus.files, corpus.manifest);
  return corpus.manifest;
}
