/**
 * @fileoverview Test files: never inferred handlers (by default), and never counted as the
 * importers that make a module a library. Lambda does not run them; they import handlers and
 * call them with fake events, which looks exactly like a handler calling a helper.
 */

/** `a.test.ts`, `a.spec.mjs`, `a.e2e-spec.ts`, `a.e2e.ts`, `a_test.js`, and a file named `test.js` or `tests.js` (a folder's test runner). */
const TEST_NAME = /(?:[._-](?:test|spec|e2e|e2e-spec|integ|integration)|_test|(?:^|\/)tests?)\.[cm]?[jt]sx?$/i;
/** A folder of tests or test doubles on the way to the file. */
const TEST_DIR = /(?:^|\/)(?:__tests__|__mocks__|__fixtures__|tests?|e2e|spec|specs|integ-tests?|integration-tests?|cypress|playwright)\//i;

/** `relative`: the file's path below its project root or scanned folder, `/` separators. */
export function isTestFile(relative: string): boolean {
  return TEST_NAME.test(relative) || TEST_DIR.test(relative);
}
