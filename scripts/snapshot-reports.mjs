#!/usr/bin/env node
/**
 * @fileoverview Writes every report format of a scan of each fixture project, of the whole
 * fixtures tree, and (with --corpus <dir>) of a benchmark corpus, into one directory, so two
 * builds can be compared byte for byte: a refactoring that must not change any report is
 * checked with
 *
 *   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci && npm run build)
 *   node /tmp/before/scripts/snapshot-reports.mjs /tmp/snap-before --corpus bench/corpus/10000
 *   node scripts/snapshot-reports.mjs /tmp/snap-after --corpus bench/corpus/10000
 *   diff -r /tmp/snap-before /tmp/snap-after && echo identical
 *
 * Reports are made with the built CLI (`npm run build` first) from this script's repository,
 * on targets relative to the current directory; the exit code of each scan is recorded too.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'lmi-audit.js');
const args = process.argv.slice(2);
const out = args[0];
if (!out || out.startsWith('--')) {
  process.stderr.write('usage: node scripts/snapshot-reports.mjs <output-dir> [--corpus <dir>]...\n');
  process.exit(2);
}
const targets = fs
  .readdirSync('fixtures/projects', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join('fixtures/projects', entry.name))
  .sort();
targets.push('fixtures');
for (let i = 1; i < args.length; i++) if (args[i] === '--corpus' && args[i + 1]) targets.push(args[++i]);

fs.mkdirSync(out, { recursive: true });
for (const target of targets) {
  const name = target.replace(/[\\/]+/g, '_');
  const file = (ext) => path.join(out, `${name}.${ext}`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      bin,
      'scan',
      target,
      '--no-progress',
      '--no-color',
      '--format',
      `json=${file('json')}`,
      '--format',
      `sarif=${file('sarif')}`,
      '--format',
      `markdown=${file('md')}`,
      '--format',
      'text',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: '', GITHUB_ACTIONS: '' } },
  );
  fs.writeFileSync(file('txt'), result.stdout);
  fs.writeFileSync(file('exit'), `${result.status}\n${result.stderr.split(out).join('<out>')}`);
  process.stdout.write(`${target}: exit ${result.status}, ${Date.now() - started} ms\n`);
}
