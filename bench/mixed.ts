/**
 * @fileoverview The mixed benchmark corpus: the standard TypeScript monorepo of bench/generate.ts
 * for 80% of the files, and Python services for the other 20% (`py/<service>/`: a package with
 * `handler_<name>.py` files, each `def handler(event, context)` importing one or two helper
 * modules of its package with `from .util_<k> import …`). Python handlers are seeded like the
 * TypeScript ones, in exact shares: a static `/tmp` write, a request-unique `/tmp` file removed in
 * `finally`, `print` logging, a module-level psycopg2 connection, and module globals the handler
 * writes (safe on Python LMI: one process per concurrent invocation). Deterministic: the same
 * (N, seed) gives a byte-identical corpus.
 */
import { DEFAULT_SEED, generateCorpus, mulberry32, writeCorpusFiles, type CorpusManifest } from './generate.js';

/** Bumped whenever the output for a given (N, seed) changes. */
export const MIXED_GENERATOR_VERSION = 1;
/** Share of the files that are Python. */
const PYTHON_SHARE = 0.2;
/** Of the Python files: handlers; the rest are helper modules and one `__init__.py` per service. */
const PY_HANDLER_SHARE = 0.75;
const PY_HANDLERS_PER_SERVICE = 12;
const PY_SEEDS = { staticTmp: 0.1, uniqueTmp: 0.1, print: 0.4, moduleConnection: 0.08, moduleGlobal: 0.15 } as const;

export interface MixedManifest extends CorpusManifest {
  python: { files: number; handlers: number; staticTmp: number; print: number; moduleConnection: number; moduleGlobal: number };
}

/** Exactly round(share × n) of the indices [0, n), spread by the PRNG. */
function pick(n: number, share: number, next: () => number): Set<number> {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return new Set(all.slice(0, Math.round(share * n)));
}

function helperSource(service: string, k: number): string {
  return [
    `"""Helpers of the ${service} service (module ${k})."""`,
    'import json',
    'import os',
    '',
    `TABLE = os.environ.get("TABLE_${k}", "${service}-${k}")`,
    `LIMITS = {"page": ${10 + k}, "batch": ${25 + k}}`,
    '',
    '',
    `def normalise_${k}(record):`,
    '    out = {}',
    '    for key, value in record.items():',
    '        if isinstance(value, str):',
    '            out[key.lower()] = value.strip()',
    '        elif isinstance(value, (int, float)):',
    '            out[key.lower()] = value',
    '        else:',
    '            out[key.lower()] = json.dumps(value, sort_keys=True)',
    '    return out',
    '',
    '',
    `def page_${k}(items, token=None):`,
    '    start = int(token or 0)',
    `    end = start + LIMITS["page"]`,
    '    return {"items": items[start:end], "next": str(end) if end < len(items) else None}',
    '',
    '',
    `def summarise_${k}(items):`,
    '    total = sum(item.get("amount", 0) for item in items)',
    '    return {"count": len(items), "total": total, "table": TABLE}',
    '',
  ].join('\n');
}

interface PyHandler {
  staticTmp: boolean;
  uniqueTmp: boolean;
  print: boolean;
  moduleConnection: boolean;
  moduleGlobal: boolean;
}

function handlerSource(service: string, name: string, helpers: number[], seed: PyHandler): string {
  const lines = [`"""${name} for the ${service} service."""`, 'import json', 'import os'];
  if (seed.moduleConnection) lines.push('', 'import psycopg2');
  lines.push(...helpers.map((k) => `from .util_${k} import normalise_${k}, page_${k}, summarise_${k}`), '');
  if (seed.moduleConnection) lines.push('connection = psycopg2.connect(os.environ["DATABASE_URL"])');
  if (seed.moduleGlobal) lines.push('last_request = None', 'calls = 0');
  lines.push('', '', 'def handler(event, context):');
  if (seed.moduleGlobal) lines.push('    global last_request, calls', '    last_request = event.get("id")', '    calls += 1');
  lines.push('    body = json.loads(event.get("body") or "{}")', '    records = body.get("records", [])');
  const [k] = helpers;
  lines.push(`    records = [normalise_${k}(r) for r in records]`);
  if (seed.print) lines.push(`    print("${name}", len(records))`);
  if (seed.moduleConnection) {
    lines.push('    with connection.cursor() as cursor:', '        cursor.execute("SELECT 1")', '        cursor.fetchone()');
  }
  if (seed.staticTmp) {
    lines.push(`    with open("/tmp/${service}-${name}.json", "w") as out:`, '        json.dump(records, out)');
  }
  if (seed.uniqueTmp) {
    lines.push(
      `    scratch = f"/tmp/${name}-{context.aws_request_id}.json"`,
      '    try:',
      '        with open(scratch, "w") as out:',
      '            json.dump(records, out)',
      '    finally:',
      '        os.remove(scratch)',
    );
  }
  for (const h of helpers) lines.push(`    summary_${h} = summarise_${h}(page_${h}(records)["items"])`);
  lines.push(`    return {"statusCode": 200, "body": json.dumps({${helpers.map((h) => `"s${h}": summary_${h}`).join(', ')}})}`, '');
  return lines.join('\n');
}

export function generateMixedCorpus(n: number, seed = DEFAULT_SEED): { files: Map<string, string>; manifest: MixedManifest } {
  if (!Number.isInteger(n) || n < 50) throw new RangeError(`mixed corpus size must be an integer >= 50 (got ${n})`);
  const pyFiles = Math.round(n * PYTHON_SHARE);
  const ts = generateCorpus(n - pyFiles, { seed });
  const next = mulberry32(seed ^ 0x5eed);
  const handlerCount = Math.round(pyFiles * PY_HANDLER_SHARE);
  const services = Math.max(1, Math.ceil(handlerCount / PY_HANDLERS_PER_SERVICE));
  // The rest: one __init__.py per service, then helper modules spread over the services.
  const helperCount = pyFiles - handlerCount - services;
  if (helperCount < services) throw new RangeError(`mixed corpus ${n}: too few Python files for ${services} services`);
  const helpersOf = Array.from({ length: services }, (_, s) => Math.floor(helperCount / services) + (s < helperCount % services ? 1 : 0));
  const seeds = Object.fromEntries(Object.entries(PY_SEEDS).map(([key, share]) => [key, pick(handlerCount, share, next)])) as Record<
    keyof typeof PY_SEEDS,
    Set<number>
  >;
  const files = new Map(ts.files);
  for (let s = 0; s < services; s++) {
    const service = `py-svc-${s + 1}`;
    files.set(`py/${service}/__init__.py`, '');
    for (let k = 1; k <= helpersOf[s]!; k++) files.set(`py/${service}/util_${k}.py`, helperSource(service, k));
  }
  let lines = ts.manifest.lines;
  for (let h = 0; h < handlerCount; h++) {
    const s = h % services;
    const service = `py-svc-${s + 1}`;
    const available = helpersOf[s]!;
    const first = 1 + Math.floor(next() * available);
    const helpers = next() < 0.5 || available < 2 ? [first] : [first, 1 + (first % available)];
    const seed: PyHandler = {
      staticTmp: seeds.staticTmp.has(h),
      uniqueTmp: seeds.uniqueTmp.has(h),
      print: seeds.print.has(h),
      moduleConnection: seeds.moduleConnection.has(h),
      moduleGlobal: seeds.moduleGlobal.has(h),
    };
    const text = handlerSource(service, `handler_${h + 1}`, helpers, seed);
    files.set(`py/${service}/handler_${h + 1}.py`, text);
    lines += text.split('\n').length;
  }
  for (const [file, text] of files) if (file.startsWith('py/') && !file.includes('/handler_')) lines += text ? text.split('\n').length : 0;
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const manifest: MixedManifest = {
    ...ts.manifest,
    generatorVersion: MIXED_GENERATOR_VERSION,
    n,
    files: ts.manifest.files + pyFiles,
    lines,
    counts: { ...ts.manifest.counts, handlers: ts.manifest.counts.handlers + handlerCount, staticTmp: ts.manifest.counts.staticTmp + seeds.staticTmp.size },
    python: {
      files: pyFiles,
      handlers: handlerCount,
      staticTmp: seeds.staticTmp.size,
      print: seeds.print.size,
      moduleConnection: seeds.moduleConnection.size,
      moduleGlobal: seeds.moduleGlobal.size,
    },
  };
  return { files: sorted, manifest };
}

/** Write the mixed corpus to `dir` (emptied first), as writeCorpus does. */
export function writeMixedCorpus(dir: string, n: number, seed = DEFAULT_SEED): MixedManifest {
  const corpus = generateMixedCorpus(n, seed);
  writeCorpusFiles(dir, corpus.files, corpus.manifest);
  return corpus.manifest;
}
