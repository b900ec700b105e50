/**
 * @fileoverview The `// lmi-audit:` (Python: `# lmi-audit:`) markers a run added: those in the new text that the old text
 * did not have (a marker kept from an earlier run is not new work).
 */
import type { FixMarker } from './types.js';

const MARKER = /(?:\/\/|#)\s*lmi-audit:\s*(.*)$/;

export function findMarkers(before: string, after: string): FixMarker[] {
  const old = new Map<string, number>();
  for (const line of before.split(/\r?\n/)) {
    const m = MARKER.exec(line);
    if (m) old.set(m[1]!.trim(), (old.get(m[1]!.trim()) ?? 0) + 1);
  }
  const out: FixMarker[] = [];
  after.split(/\r?\n/).forEach((line, i) => {
    const m = MARKER.exec(line);
    if (!m) return;
    const text = m[1]!.trim();
    const left = old.get(text) ?? 0;
    if (left > 0) old.set(text, left - 1);
    else out.push({ line: i + 1, text });
  });
  return out;
}
