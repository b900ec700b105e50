/** The text SARIF replacements (offsets into `text`, in order) turn `text` into. */
export function applyReplacements(text: string, replacements: ReadonlyArray<{ offset: number; length: number; text: string }>): string {
  let out = '';
  let at = 0;
  for (const r of replacements) {
    out += text.slice(at, r.offset) + r.text;
    at = r.offset + r.length;
  }
  return out + text.slice(at);
}
