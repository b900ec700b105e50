/**
 * @fileoverview Handler inference, one source at a time: the evidence each export shape gives,
 * and the look-alikes that give none. Through the real walk (summaries) and graph.
 */
import { describe, expect, it } from 'vitest';
import { ProjectGraph } from '../../src/core/graph.js';
import { inferHandlers } from '../../src/project/handlers.js';
import { isTestFile } from '../../src/project/test-files.js';
import { summarizeSource } from '../../src/summarizer.js';

function infer(source: string, { file = '/p/src/h.ts', imported = false as boolean | string[] } = {}): string[] {
  const graph = new ProjectGraph([summarizeSource(file, source)], { resolve: () => undefined });
  return inferHandlers(0, graph, (name) => imported === true || (Array.isArray(imported) && (name === undefined || imported.includes(name)))).map(
    (h) => `${h.exportName}:${h.evidence}`,
  );
}

describe('inferHandlers', () => {
  it.each([
    ['export const handler = serverless(app);', 'handler:name'],
    ['export const lambdaHandler = async () => ({ statusCode: 200 });', 'lambdaHandler:name'],
    ["import type { Handler } from 'aws-lambda';\nexport const go: Handler = async (x) => x;", 'go:type'],
    ["import type * as lambda from 'aws-lambda';\nexport const go: lambda.SQSHandler = async (x) => {};", 'go:type'],
    ["import type { Handler } from 'aws-lambda';\nexport const go: Handler = middy(async (x) => x);", 'go:type'],
    ["import middy from '@middy/core';\nconst base = async (x) => x;\nexport const go = middy(base).use(cors());", 'go:wrapper'],
    ["import serverless from 'serverless-http';\nexport const api = serverless(app);", 'api:wrapper'],
    ['export async function go(evt, ctx) {}', 'go:context'],
    ['exports.go = function (sqsEvent, context, callback) {};', 'go:context'],
    ['export const main = withSentry(async (event, context) => {});', 'main:context'],
    ['export const step1 = (data_, context, callBack) => {};', 'step1:context'],
    ["import type { Context } from 'aws-lambda';\nexport const go = async (job, c: Context) => {};", 'go:context'],
    ["import { Context } from 'aws-lambda';\nexport const go = async ({ Records }, c: Context) => {};", 'go:context'],
    ['export const putItemHandler = async (event) => {};', 'putItemHandler:event'],
    ["import type { SQSEvent } from 'aws-lambda';\nexport const go = async (batch: SQSEvent) => {};", 'go:event'],
    ['export async function main(args) {}', 'main:event'],
    ['const mkgif = async (e) => {};\nmodule.exports = { mkgif };', 'mkgif:event'],
    ['module.exports = async (payload) => payload;', 'default:event'],
    ['export default async function (input) {}', 'default:event'],
    ['export const helloFromLambdaHandler = async () => {};', 'helloFromLambdaHandler:name'],
  ])('%s -> %s', (source, expected) => {
    expect(infer(source)).toEqual([expected]);
  });

  it.each([
    ['a script main()', 'export function main() {}'],
    ['a handler factory', 'export function createHandler() {}'],
    ['a getter', 'export const getHandler = () => handlers.get;'],
    ['an Express route', 'export function getUser(req, res) {}'],
    ['Express middleware', 'export const log = (req, res, next) => next();'],
    ['Koa middleware', 'export const mw = async (ctx, next) => next();'],
    ['a second parameter that is no context', 'export function transform(input, options) {}'],
    ['a context of another type', 'export function go(event, context: RequestContext) {}'],
    ['a fourth parameter', 'export function go(event, context, callback, extra) {}'],
    ['a rest parameter', 'export function go(...args) {}'],
    ['a service worker listener', 'export function onFetch(event: FetchEvent) {}'],
    ['a DOM listener', 'export const onClick = (e: MouseEvent) => {};'],
    ["a lone event of the project's own type", 'export function describeEvent(event: AccountEvent): string {}'],
    ['a non-event parameter name', 'export function format(value) {}'],
    ['a destructured lone parameter', 'export const view = ({ title }) => title;'],
    ['not a function', 'export const event = { source: "x" };'],
    ['a class', 'export class Handler { run(event, context) {} }'],
    ['a visitor with a ctx', 'export function visit(node, ctx) {}'],
    ['the value of a call with a callback', "export const dirs = fs.readdirSync('.').filter((e) => e.isDirectory());"],
    ['an array of functions', 'export const rules = [(event, context) => {}];'],
    ['an object of functions', 'export const api = { get: async (event, context) => {} };'],
    ['a Powertools logger', "import { Logger } from '@aws-lambda-powertools/logger';\nexport const logger = new Logger();"],
  ])('not %s', (_name, source) => {
    expect(infer(source)).toEqual([]);
  });

  it('infers nothing but the two names among imported exports, and no lone event in an imported module', () => {
    const source = 'export const parseBody = (event) => JSON.parse(event.body);\nexport const go = async (event, context) => {};\nexport const handler = go;';
    expect(infer(source)).toEqual(['go:context', 'handler:name', 'parseBody:event']);
    expect(infer(source, { imported: true })).toEqual(['handler:name']);
    // A lone event only counts in a module nothing imports from; a context, where its export is not imported.
    expect(infer(source, { imported: ['handler'] })).toEqual(['go:context', 'handler:name']);
  });

  it('counts two exports of one function once, by its name', () => {
    expect(infer('export const landingPage = (event, _context, callBack) => {};\nexport default landingPage;')).toEqual(['landingPage:context']);
    expect(infer('export const handler = async (event) => {};\nexport default handler;')).toEqual(['handler:name']);
  });

  it('infers nothing but `handler` in JSX files (components and their callbacks)', () => {
    const source = 'export const handler = async (event) => event;\nexport default function Page(event, ctx) { return <div />; }';
    expect(infer(source, { file: '/p/src/page.tsx' })).toEqual(['handler:name']);
  });
});

describe('isTestFile', () => {
  it.each([
    'src/handler.test.ts',
    'src/handler.spec.mjs',
    'src/app.e2e-spec.ts',
    'src/get_test.js',
    'src/__tests__/handler.ts',
    'src/__mocks__/db.ts',
    'test/unit/handler.js',
    'tests/handler.ts',
    'e2e/checkout.ts',
    'packages/api/spec/h.ts',
    'routes/examples/test.js',
    'tests.mjs',
  ])('%s is a test file', (file) => expect(isTestFile(file)).toBe(true));

  it.each(['src/handler.ts', 'src/latest.ts', 'src/contest/handler.ts', 'src/testing-utils.ts', 'src/attest.js', 'src/latest.js', 'src/contest.js'])(
    '%s is not',
    (file) => expect(isTestFile(file)).toBe(false),
  );
});

describe('inferHandlers across files', () => {
  it('sees a wrapper behind a re-export (`export { default as graphqlHandler } from …`)', () => {
    const server = summarizeSource(
      '/p/src/server.ts',
      "import { startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';\nexport default startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler());",
    );
    const entry = summarizeSource('/p/src/handler.ts', "export { default as graphqlHandler } from './server';");
    const graph = new ProjectGraph([entry, server], { resolve: (_from, spec) => (spec === './server' ? '/p/src/server.ts' : undefined) });
    expect(inferHandlers(0, graph, () => false)).toEqual([{ exportName: 'graphqlHandler', evidence: 'wrapper' }]);
  });
});
