/**
 * @fileoverview The configuration file: where it is found, what it may say (schema/config.schema.json,
 * checked against ajv so the published schema and the CLI's own validation agree), the error
 * messages that name the bad key, and what each key does to a scan, with options winning over
 * the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../src/config/load.js';
import { validateAgainstSchema } from '../../src/config/validate-schema.js';
import { ConfigurationError, getConfigurableRuleIds, scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/config/app/', import.meta.url));
const RULE_IDS = getConfigurableRuleIds();

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-config-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  // The search stops here, whatever lies above the temporary directory.
  fs.mkdirSync(path.join(dir, '.git'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(file: string, content: unknown): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function load(paths: string[] = ['.'], file?: string) {
  return loadConfig({ cwd: dir, paths, file, ruleIds: RULE_IDS });
}

function loadError(paths: string[] = ['.']): string {
  try {
    load(paths);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

async function scanWith(config: unknown, options: Partial<Parameters<typeof scan>[0]> = {}): Promise<Report> {
  write('lmi-audit.config.json', config);
  return scan({ paths: ['.'], cwd: dir, jobs: 1, config: load(), ...options });
}

describe('finding the configuration', () => {
  it('reads lmi-audit.config.json in the scanned directory or the nearest parent', () => {
    write('lmi-audit.config.json', { failOn: 'warning' });
    expect(load(['src/orders'])).toMatchObject({ failOn: 'warning', file: path.join(dir, 'lmi-audit.config.json'), dir });
    expect(load(['src/orders/handler.ts'])?.failOn).toBe('warning');
  });

  it('reads the "lmi-audit" key of package.json, and prefers lmi-audit.config.json next to it', () => {
    write('package.json', { name: 'app', 'lmi-audit': { minScore: 70 } });
    expect(load()?.minScore).toBe(70);
    write('lmi-audit.config.json', { minScore: 80 });
    expect(load()?.minScore).toBe(80);
  });

  it('ignores a package.json without the key, and stops at the directory holding .git', () => {
    write('package.json', { name: 'app' });
    expect(load()).toBeUndefined();
    write('src/package.json', { name: 'inner' });
    fs.mkdirSync(path.join(dir, 'src/.git'));
    write('lmi-audit.config.json', { minScore: 80 });
    expect(load(['src/orders'])).toBeUndefined();
  });

  it('reads the file --config names, and nothing else', () => {
    write('ci/strict.json', { failOn: 'info' });
    write('lmi-audit.config.json', { failOn: 'warning' });
    expect(load(['.'], 'ci/strict.json')).toMatchObject({ failOn: 'info', dir: path.join(dir, 'ci') });
  });

  it('refuses a JavaScript configuration without running it', () => {
    write('lmi-audit.config.js', "throw new Error('this must never run');\n");
    expect(loadError()).toBe(
      'lmi-audit.config.js: lmi-audit only reads JSON configuration (lmi-audit.config.json, or the "lmi-audit" key of package.json) ' +
        'and never runs configuration code. Move these settings to lmi-audit.config.json.',
    );
  });
});

describe('configuration errors name the file and the key', () => {
  it.each<[string, unknown, string]>([
    ['a bad severity', { rules: { 'shared-tmp-path': 'fatal' } }, 'lmi-audit.config.json: rules.shared-tmp-path: must be one of error, warning, info, off'],
    [
      'a bad severity in the array form',
      { rules: { 'shared-tmp-path': ['fatal'] } },
      'lmi-audit.config.json: rules.shared-tmp-path[0]: must be one of error, warning, info',
    ],
    [
      'a setting of the wrong type',
      { rules: { 'shared-tmp-path': 2 } },
      'lmi-audit.config.json: rules.shared-tmp-path: must be one of error, warning, info, off, or an array',
    ],
    [
      'an unknown rule',
      { rules: { 'shared-tmp-paths': 'off' } },
      'lmi-audit.config.json: rules.shared-tmp-paths: unknown rule. Did you mean `shared-tmp-path`? Rules: ',
    ],
    [
      'options for a rule that takes none',
      { rules: { 'shared-tmp-path': ['warning', { max: 1 }] } },
      'lmi-audit.config.json: rules.shared-tmp-path[1]: rule shared-tmp-path takes no options',
    ],
    [
      'an unknown key',
      { rulez: {} },
      'lmi-audit.config.json: rulez: unknown key. Did you mean `rules`? Allowed: include, exclude, rules, failOn, minScore, failOnEmpty, handlers, inferHandlers',
    ],
    [
      'an unknown key of inferHandlers',
      { inferHandlers: { testfile: true } },
      'lmi-audit.config.json: inferHandlers.testfile: unknown key. Did you mean `testFiles`? Allowed: enabled, testFiles',
    ],
    ['an unknown key nothing is close to', { colour: true }, 'lmi-audit.config.json: colour: unknown key. Allowed: include,'],
    ['a bad failOn', { failOn: 'errors' }, 'lmi-audit.config.json: failOn: must be one of error, warning, info, none. Did you mean `error`?'],
    ['a failOnEmpty that is not a boolean', { failOnEmpty: 'yes' }, 'lmi-audit.config.json: failOnEmpty: must be a boolean, not string "yes"'],
    [
      'a misspelt severity',
      { rules: { 'shared-tmp-path': 'warn' } },
      'lmi-audit.config.json: rules.shared-tmp-path: must be one of error, warning, info, off. Did you mean `warning`?',
    ],
    ['a minScore out of range', { minScore: 120 }, 'lmi-audit.config.json: minScore: must be at most 100'],
    ['globs that are not a list', { include: 'src' }, 'lmi-audit.config.json: include: must be an array, not string "src"'],
    ['an empty glob', { exclude: [''] }, 'lmi-audit.config.json: exclude[0]: must not be empty'],
    [
      'a handler name that is not an identifier',
      { handlers: { 'src/a.ts': ['main()'] } },
      'lmi-audit.config.json: handlers.src/a.ts[0]: "main()" is not a valid name',
    ],
    ['an empty handler list', { handlers: { 'src/a.ts': [] } }, 'lmi-audit.config.json: handlers.src/a.ts: must not be empty'],
    ['not an object', ['src'], 'lmi-audit.config.json: must be an object, not an array'],
  ])('%s', (_name, config, message) => {
    write('lmi-audit.config.json', config);
    expect(loadError()).toContain(message);
  });

  it('names the package.json key', () => {
    write('package.json', { name: 'app', 'lmi-audit': { rules: { 'shared-tmp-path': 'fatal' } } });
    expect(loadError()).toBe('package.json: lmi-audit.rules.shared-tmp-path: must be one of error, warning, info, off');
  });

  it.each<[string, string, string]>([
    ['a trailing comma', '{\n  "rules": {\n    "shared-tmp-path": "off",\n  }\n}\n', 'line 4, column 3: trailing comma before }'],
    ['a comment', '{\n  // no comments in JSON\n  "failOn": "error"\n}\n', 'line 2, column 3: comments are not allowed in JSON'],
    ['a missing comma', '{ "failOn": "error"\n  "minScore": 50 }', 'line 2, column 3: expected , or }'],
    ['single quotes', "{ 'failOn': 'error' }", 'line 1, column 3: expected a key in double quotes'],
    ['a cut-off file', '{ "failOn": ', 'line 1, column 13: unexpected end of file'],
  ])('points at the line and column of invalid JSON: %s', (_name, text, where) => {
    write('lmi-audit.config.json', text);
    expect(loadError()).toBe(`lmi-audit.config.json: invalid JSON at ${where}`);
  });
});

describe('config.schema.json', () => {
  // `[severity]` and `[severity, options]` are both allowed: a tuple of one or two items on purpose.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false });
  const validate = ajv.compile(configSchema());

  it.each<[string, unknown]>([
    ['empty', {}],
    [
      'everything',
      {
        $schema: './node_modules/lmi-audit/schema/config.schema.json',
        include: ['src/**'],
        exclude: ['src/legacy'],
        rules: { 'shared-tmp-path': 'off', 'global-mutable-state': ['warning', {}], 'unused-suppression': 'info' },
        failOn: 'warning',
        minScore: 80,
        failOnEmpty: true,
        handlers: { 'src/jobs/*.ts': ['run', 'default'] },
      },
    ],
    ['failOnEmpty not a boolean', { failOnEmpty: 'yes' }],
    ['bad severity', { rules: { a: 'fatal' } }],
    ['bad array', { rules: { a: ['warning', {}, 3] } }],
    ['empty array', { rules: { a: [] } }],
    ['array of severity and string', { rules: { a: ['warning', 'x'] } }],
    ['bad rule key', { rules: { 'Not-Kebab': 'off' } }],
    ['unknown key', { extra: true }],
    ['minScore string', { minScore: '80' }],
    ['minScore negative', { minScore: -1 }],
    ['failOn none', { failOn: 'none' }],
    ['handlers not array', { handlers: { a: 'main' } }],
    ['handlers bad name', { handlers: { a: ['1x'] } }],
    ['globs with empty', { include: ['a', ''] }],
    ['null', null],
    ['array', []],
  ])('the CLI and ajv agree on %s', (_name, value) => {
    const byAjv = validate(value);
    const byCli = validateAgainstSchema(configSchema(), value) === undefined;
    expect(byCli).toBe(byAjv);
  });
});

describe('what the configuration does', () => {
  it('turns a rule off: no findings, and its checklist item is unknown rather than passing', async () => {
    const report = await scanWith({ rules: { 'shared-tmp-path': 'off' } });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['unstructured-logging']);
    expect(report.functions[0]!.checklist['shared-tmp-path']).toBe('unknown');
  });

  it('changes a rule severity, and the gate follows', async () => {
    const report = await scanWith({ rules: { 'shared-tmp-path': 'warning', 'unstructured-logging': ['info'] } });
    expect(report.findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['shared-tmp-path warning', 'unstructured-logging info']);
    expect(report.summary.passed).toBe(true);
  });

  it('applies failOn and minScore from the file, and the options win over them', async () => {
    const config = { rules: { 'shared-tmp-path': 'off' }, failOn: 'info', minScore: 10 };
    expect((await scanWith(config)).summary.passed).toBe(false); // the console logging note (info) fails
    expect((await scanWith(config, { failOn: 'error' })).summary.passed).toBe(true);
    expect((await scanWith({ minScore: 100 })).summary.passed).toBe(false);
    expect((await scanWith({ minScore: 100 }, { minScore: 0, failOn: 'none' })).summary.passed).toBe(true);
  });

  it('scans only the files include selects, minus the ones exclude drops (directories too)', async () => {
    const handlers = { 'src/legacy/app.ts': ['main'], 'src/jobs/*.ts': ['run'] };
    const all = await scanWith({ handlers });
    expect(all.functions.map((f) => f.id)).toEqual(['src/jobs/nightly.ts#run', 'src/legacy/app.ts#main', 'src/orders/handler.ts#handler']);
    const included = await scanWith({ handlers, include: ['src/jobs/**', 'src/orders/*.ts'] });
    expect(included.functions.map((f) => f.id)).toEqual(['src/jobs/nightly.ts#run', 'src/orders/handler.ts#handler']);
    const excluded = await scanWith({ handlers, exclude: ['src/legacy', 'src/**/nightly.ts'] });
    expect(excluded.functions.map((f) => f.id)).toEqual(['src/orders/handler.ts#handler']);
  });

  it('makes the configured exports of unnamed files handlers, and reports a named file without them', async () => {
    const report = await scanWith({ handlers: { 'src/legacy/app.ts': ['main', 'missing'], 'src/jobs/*.ts': ['run'], 'src/gone.ts': ['handler'] } });
    expect(report.functions.map((f) => f.id)).toContain('src/legacy/app.ts#main');
    expect(report.findings.find((f) => f.file === 'src/legacy/app.ts')?.functions).toEqual(['src/legacy/app.ts#main']);
    // A glob that also matches a helper without `run` is not an error; a file named outright is.
    expect(report.errors).toEqual([
      { file: 'src/gone.ts', message: "the configuration's handlers name `src/gone.ts`, which is not a scanned source file" },
      { file: 'src/legacy/app.ts', message: 'the configuration names `missing` as a handler, but this file has no such export' },
    ]);
  });
});
