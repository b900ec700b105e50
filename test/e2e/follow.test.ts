/**
 * @fileoverview What the graph follows from a handler (fixtures/projects/express-routes,
 * framework-apps, factory-handlers, class-handlers, unfollowed-handler): the functions each scan
 * reports and their checklists. The exact findings of each project are its annotations
 * (test/e2e/projects.test.ts); this file checks what those cannot say: which items are
 * `unknown` because the handler could not be followed, and that route callbacks and factories
 * are invocation code without being entry points.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const project = (name: string) => fileURLToPath(new URL(`../../fixtures/projects/${name}/`, import.meta.url));
const CODE_ITEMS = ['global-mutable-state', 'shared-tmp-path', 'shared-db-connection', 'unstructured-logging', 'unsafe-shared-collection'] as const;

describe('handlers the graph cannot follow', () => {
  it('leave the code items unknown, never pass, and say why', async () => {
    const report = await scan({ paths: ['.'], cwd: project('unfollowed-handler') });
    const unfollowed = report.functions.find((f) => f.id === 'src/package-app.mjs#handler')!;
    for (const item of CODE_ITEMS) expect(unfollowed.checklist[item], item).toBe('unknown');
    expect(report.errors.map((e) => e.file)).toEqual(['src/package-app.mjs']);
    // The Apollo server's resolvers are project code: that handler is followed and judged.
    const apollo = report.functions.find((f) => f.id === 'src/graphql.mjs#handler')!;
    expect(apollo.checklist['global-mutable-state']).toBe('fail');
    expect(apollo.checklist['shared-tmp-path']).toBe('pass');
  });
});

describe('web framework apps', () => {
  it('follow serverless-http into the route callbacks of the app, of a router in another file, and of routes another file registers on the app', async () => {
    const report = await scan({ paths: ['.'], cwd: project('express-routes') });
    expect(report.functions.map((f) => f.id)).toEqual(['src/lambda.js#handler']);
    expect(report.errors).toEqual([]);
    // Route callbacks are not Lambda entry points: `(req, res, next)` middleware is no callback-style handler.
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([
      'global-mutable-state src/app.js:15',
      'global-mutable-state src/routes/orders.js:8',
      'global-mutable-state src/routes/users.js:9',
    ]);
    expect(report.findings.every((f) => f.functions.join() === 'src/lambda.js#handler')).toBe(true);
  });

  it('follow Koa middleware and routers, and Fastify routes, not callbacks given to other objects', async () => {
    const report = await scan({ paths: ['.'], cwd: project('framework-apps') });
    expect(report.functions.map((f) => `${f.id} ${f.checklist['global-mutable-state']}`)).toEqual([
      'src/fastify.mjs#handler fail',
      'src/koa.mjs#handler fail',
      'src/not-an-app.mjs#handler pass',
    ]);
  });
});

describe('factories and wrappers', () => {
  it('run the factory at init and what it returns per invocation', async () => {
    const report = await scan({ paths: ['.'], cwd: project('factory-handlers') });
    expect(report.functions.map((f) => f.id)).toEqual(['src/orders.js#handler', 'src/wrapped.js#handler']);
    const byFile = (file: string) => report.findings.filter((f) => f.file === file).map((f) => `${f.line} ${f.functions.join()}`);
    // `created += 1` in the factory body is init code; the handler it returns writes `lastOrder`.
    expect(byFile('src/make-handler.js')).toEqual(['9 src/orders.js#handler']);
    // The conditional wrapper and the function it wraps are both followed.
    expect(byFile('src/with-tracing.js')).toEqual(['8 src/wrapped.js#handler', '10 src/wrapped.js#handler']);
    expect(byFile('src/wrapped.js')).toEqual(['6 src/wrapped.js#handler']);
  });
});

describe('classes', () => {
  it('run the constructor of `new X()` and the methods called on the instance or statically', async () => {
    const report = await scan({ paths: ['.'], cwd: project('class-handlers') });
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual([
      'src/audit.js:8',
      'src/order-service.js:9',
      'src/order-service.js:16',
      'src/warmer.js:6',
    ]);
    // `new (require('./warmer'))()` makes the module's class: the module is not a handler of its own.
    expect(report.functions.map((f) => f.id)).toEqual(['src/handler.js#handler', 'src/warm.js#warm']);
  });
});

describe('infrastructure code of any name', () => {
  it('reads a template by its content, takes the last of duplicate keys with a warning, and skips another cloud', async () => {
    const report = await scan({ paths: ['.'], cwd: project('any-name-template') });
    expect(report.functions.map((f) => `${f.id} ${f.discovery} ${f.declaredIn?.file}:${f.declaredIn?.line}`)).toEqual([
      'api/orders.js#process infrastructure stack.yaml:11',
    ]);
    expect(report.errors).toEqual([
      { file: 'stack.yaml', line: 17, column: 7, message: 'duplicate key `MemorySize`: the last value is used (as SAM CLI does)' },
    ]);
  });

  it('reads the template when it is the file scanned', async () => {
    const report = await scan({ paths: ['stack.yaml', 'api'], cwd: project('any-name-template') });
    expect(report.functions.map((f) => f.id)).toEqual(['api/orders.js#process']);
  });
});

describe('container-image functions', () => {
  it('find the handler in the image the template builds: the function command over the CMD, the last stage, the code copied into the task root', async () => {
    const report = await scan({ paths: ['.'], cwd: project('container-images') });
    expect(report.functions.map((f) => `${f.id} ${f.discovery} ${f.declaredIn?.file}:${f.declaredIn?.line}`)).toEqual([
      'orders/src/orders.js#process infrastructure template.yaml:6',
      'report/src/summary.ts#build infrastructure template.yaml:15',
    ]);
    // The web server image (no Lambda runtime) names no handler; a Dockerfile that cannot be read is said so, at its function.
    expect(report.errors).toEqual([
      { file: 'template.yaml', line: 33, message: "GoneFunction: the Dockerfile `gone/Dockerfile` could not be read: the image's code was not found" },
    ]);
  });
});

describe('a CDK DockerImageFunction', () => {
  it('finds the handler of the cmd given to fromImageAsset, in what the Dockerfile copies into the task root', async () => {
    const report = await scan({ paths: ['.'], cwd: project('container-images-cdk') });
    expect(report.errors).toEqual([]);
    expect(report.functions.map((f) => `${f.id} ${f.discovery} ${f.declaredIn?.file}:${f.declaredIn?.line}`)).toEqual([
      'images/jobs/src/runner.js#run infrastructure lib/app.ts:10',
    ]);
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['shared-tmp-path images/jobs/src/runner.js:5']);
  });
});

describe('the project’s own packages', () => {
  it('follow workspace packages imported by name, from the repository root and from one service', async () => {
    const whole = await scan({ paths: ['.'], cwd: project('workspace-packages') });
    const attributed = (report: typeof whole) => report.findings.map((f) => `${f.file}:${f.line} ${f.functions.join()}`);
    expect(attributed(whole)).toEqual([
      'packages/db/src/index.ts:8 services/orders/handler.mjs#handler',
      'packages/text/src/format.mjs:5 services/orders/handler.mjs#handler',
    ]);
    // The design card's command on one service: the packages it imports are outside the scanned path, and still its code.
    const one = await scan({ paths: ['services/orders'], cwd: project('workspace-packages') });
    expect(one.functions.map((f) => f.id)).toEqual(['services/orders/handler.mjs#handler']);
    expect(attributed(one)).toEqual(attributed(whole));
  });

  it('follow layer code imported from /opt into the layer folders of the repository', async () => {
    const report = await scan({ paths: ['.'], cwd: project('layer-imports') });
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.functions.join()}`)).toEqual([
      'layers/common/lib/cache.js:5 functions/export/index.js#handler',
      'layers/shared/nodejs/tenant.mjs:6 functions/report/app.mjs#handler',
    ]);
    // A layer is no function of its own.
    expect(report.functions.map((f) => f.id)).toEqual(['functions/export/index.js#handler', 'functions/report/app.mjs#handler']);
  });
});

describe('NestJS', () => {
  it('follow NestFactory.create(AppModule) into the routes of the controllers its modules list, and the singleton providers they call', async () => {
    const report = await scan({ paths: ['.'], cwd: project('nestjs-app') });
    expect(report.functions.map((f) => f.id)).toEqual(['src/lambda.ts#handler']);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.functions.join()}`)).toEqual([
      'src/orders.service.ts:22 src/lambda.ts#handler',
      'src/orders.service.ts:24 src/lambda.ts#handler',
      'src/users/users.controller.ts:13 src/lambda.ts#handler',
    ]);
  });
});
