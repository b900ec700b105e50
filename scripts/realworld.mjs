// Scans public Lambda repositories the user has checked out locally, at the commits
// scripts/realworld.json pins, and prints one row per repository: functions found (declared by
// infrastructure code / inferred), findings by rule, errors. Needs no network: it reads
// <dir>/<name> for each listed repository and skips the ones that are missing.
//
//   npm run build && npm run realworld -- --dir ~/lmi-realworld [--list file.json] [--json]
//   npm run realworld -- --print-fetch --dir ~/lmi-realworld   (the git commands that bring them)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { scan } from '../dist/src/index.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: process.env.LMI_REALWORLD_DIR ?? 'realworld' },
    list: { type: 'string', default: new URL('realworld.json', import.meta.url).pathname },
    json: { type: 'boolean', default: false },
    'print-fetch': { type: 'boolean', default: false },
  },
});
const dir = path.resolve(values.dir);
const { repositories } = JSON.parse(fs.readFileSync(values.list, 'utf8'));

if (values['print-fetch']) {
  for (const r of repositories) {
    const target = path.join(dir, r.name);
    console.log(`git clone --filter=blob:none https://github.com/${r.repo}.git ${target} && git -C ${target} checkout --quiet ${r.commit}`);
  }
  process.exit(0);
}

/** The commit a checkout is at, when it is a git work tree (an extracted archive has none). */
function headOf(checkout) {
  try {
    return execFileSync('git', ['-C', checkout, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const rows = [];
for (const r of repositories) {
  const checkout = path.join(dir, r.name);
  if (!fs.existsSync(checkout)) {
    rows.push({ repo: r.repo, missing: true });
    continue;
  }
  const head = headOf(checkout);
  const started = Date.now();
  const report = await scan({ paths: r.paths ?? ['.'], cwd: checkout });
  const byRule = {};
  for (const f of report.findings) if (!f.suppressed) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  rows.push({
    repo: r.repo,
    commit: r.commit.slice(0, 12),
    ...(head && head !== r.commit ? { warning: `checkout is at ${head.slice(0, 12)}, not the pinned commit` } : {}),
    functions: report.functions.length,
    declared: report.functions.filter((f) => f.discovery === 'infrastructure').length,
    inferred: report.functions.filter((f) => f.discovery === 'inferred').length,
    findings: report.summary.findings,
    byRule,
    errors: report.errors.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
}

if (values.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const abbreviations = {
    'global-mutable-state': 'gms',
    'shared-tmp-path': 'tmp',
    'shared-db-connection': 'db',
    'pool-undersized': 'pool',
    'event-source-backpressure': 'esb',
    'unstructured-logging': 'log',
    'unsafe-shared-collection': 'usc',
    lifecycle: 'life',
    'lmi-runtime-support': 'rt',
    'unchecked-timeout': 'to',
  };
  console.log('| repository | commit | functions (declared/inferred) | findings | by rule | errors | s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    if (row.missing) {
      console.log(`| ${row.repo} | not in ${dir} | | | | | |`);
      continue;
    }
    const rules = Object.entries(row.byRule)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, n]) => `${abbreviations[id] ?? id} ${n}`)
      .join(', ');
    console.log(
      `| ${row.repo} | ${row.commit} | ${row.functions} (${row.declared}/${row.inferred}) | ${row.findings} | ${rules} | ${row.errors} | ${row.seconds} |`,
    );
    if (row.warning) console.log(`|   ${row.warning} | | | | | | |`);
  }
  console.log(
    `\nby rule: ${Object.entries(abbreviations)
      .map(([id, a]) => `${a} = ${id}`)
      .join(', ')}`,
  );
}
