/**
 * @fileoverview Code-unit order for sorting report entries: locale-independent, so reports are
 * byte-identical on every machine.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
