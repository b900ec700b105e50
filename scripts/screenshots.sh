#!/usr/bin/env bash
# Screenshots of the two reports people read, from the real CLI on fixtures/projects/sample-app:
#   docs/screenshots/markdown-summary.png  the Markdown summary, rendered as GitHub renders it
#   docs/screenshots/text-report-80.png    the text report in an 80-column tmux pane, in colour
# Re-runnable: each run overwrites both PNGs. Needs a build (npm run build), tmux, and headless
# Chromium (Debian: apt-get install chromium tmux). The Markdown is rendered by `marked`, fetched by
# npx for this script only: the project does not depend on it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="docs/screenshots"
chromium="${CHROMIUM:-/usr/bin/chromium}"
session="lmi-shot"
project="fixtures/projects/sample-app"
work="$(mktemp -d)"
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -f dist/src/cli.js ] || { echo "screenshots: run npm run build first" >&2; exit 2; }
command -v tmux >/dev/null || { echo "screenshots: tmux is not installed" >&2; exit 2; }
[ -x "$chromium" ] || { echo "screenshots: no Chromium at $chromium (set CHROMIUM)" >&2; exit 2; }
mkdir -p "$out"

# Chromium writes the PNG, then may linger on its own shutdown: the file is what counts.
shoot() { # <html file> <png> <width,height>
  rm -f "$2"
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --screenshot="$2" --window-size="$3" "file://$1" >"$work/chromium.log" 2>&1 || true
  [ -s "$2" ] || { cat "$work/chromium.log" >&2; echo "screenshots: Chromium wrote no $2" >&2; exit 1; }
  echo "wrote $2"
}

# --- The Markdown summary, as a GitHub step summary or PR comment shows it ---------------------
node bin/lmi-audit.js scan "$project" --format markdown --fail-on none --no-progress >"$work/summary.md"
npx -y marked@18 --gfm -i "$work/summary.md" -o "$work/summary-body.html"
{
  cat <<'HTML'
<!doctype html>
<html><head><meta charset="utf-8"><title>lmi-audit Markdown summary</title>
<style>
  /* The parts of GitHub's markdown-body styles that this summary uses. */
  body { margin: 0; background: #fff; }
  .markdown-body { box-sizing: border-box; max-width: 980px; margin: 0 auto; padding: 32px 24px;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji";
    color: #1f2328; word-wrap: break-word; }
  .markdown-body h2 { font-size: 1.5em; font-weight: 600; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; margin: 0 0 16px; }
  .markdown-body h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
  .markdown-body p, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
  .markdown-body a { color: #0969da; text-decoration: none; }
  .markdown-body code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
    padding: .2em .4em; background: #818b981f; border-radius: 6px; white-space: break-spaces; }
  .markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0; border-collapse: collapse; }
  .markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
  .markdown-body th { font-weight: 600; }
  .markdown-body tr:nth-child(2n) { background: #f6f8fa; }
  .markdown-body sub { font-size: 75%; }
  .markdown-body summary { cursor: pointer; }
</style></head>
<body><article class="markdown-body">
HTML
  cat "$work/summary-body.html"
  echo '</article></body></html>'
} >"$work/summary.html"
shoot "$work/summary.html" "$out/markdown-summary.png" 1000,1400

# --- The text report in an 80-column terminal ---------------------------------------------------
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 80 -y 60 \
  "FORCE_COLOR=1 node bin/lmi-audit.js scan $project --fail-on none; sleep 600"
# The report is done when its verdict, the last line, is on the screen.
for _ in $(seq 1 120); do
  tmux capture-pane -p -S - -t "$session" | grep -qE '^(PASSED|FAILED)' && break
  sleep 0.5
done
tmux capture-pane -p -e -S - -t "$session" >"$work/pane.ansi"
tmux kill-session -t "$session"
grep -qE '^(PASSED|FAILED)' <(sed 's/\x1b\[[0-9;]*m//g' "$work/pane.ansi") ||
  { echo "screenshots: the scan did not finish in the tmux pane" >&2; exit 1; }

node - "$work/pane.ansi" "$work/pane.html" "$work/rows" <<'JS'
// ANSI SGR colours to HTML spans, on a dark terminal theme (one-dark-like palette).
const fs = require('node:fs');
const [input, output, rowsFile] = process.argv.slice(2);
const palette = ['#282c34', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#abb2bf'];
const bright = ['#5c6370', '#ff7a85', '#b5e890', '#ffd68a', '#80c4ff', '#de95f0', '#7fd4de', '#ffffff'];
const text = fs.readFileSync(input, 'utf8').replace(/\s+$/, '');
const lines = text.split('\n');
const widest = Math.max(...lines.map((line) => [...line.replace(/\x1b\[[0-9;]*m/g, '')].length));
console.log(`longest captured line: ${widest} columns`);
if (widest > 80) {
  console.error('screenshots: a line of the text report is wider than 80 columns');
  process.exit(1);
}
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
let state = { fg: null, bold: false, dim: false };
let html = '';
let open = false;
for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
  const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
  if (!sgr) {
    if (part) html += escape(part);
    continue;
  }
  const codes = sgr[1] === '' ? [0] : sgr[1].split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) state = { fg: null, bold: false, dim: false };
    else if (code === 1) state.bold = true;
    else if (code === 2) state.dim = true;
    else if (code === 22) state.bold = state.dim = false;
    else if (code >= 30 && code <= 37) state.fg = palette[code - 30];
    else if (code >= 90 && code <= 97) state.fg = bright[code - 90];
    else if (code === 39) state.fg = null;
    else if (code === 38 && codes[i + 1] === 5) {
      const n = codes[i + 2];
      state.fg = n < 8 ? palette[n] : n < 16 ? bright[n - 8] : null;
      i += 2;
    }
  }
  if (open) html += '</span>';
  const style = [state.fg && `color:${state.fg}`, state.bold && 'font-weight:bold', state.dim && 'opacity:.7'].filter(Boolean).join(';');
  html += `<span style="${style}">`;
  open = true;
}
if (open) html += '</span>';
fs.writeFileSync(
  output,
  `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #1e2127; }
  .term { box-sizing: border-box; width: max-content; padding: 14px 16px; background: #282c34; color: #abb2bf;
    font: 13px/1.35 "DejaVu Sans Mono", ui-monospace, Menlo, Consolas, monospace; white-space: pre; }
  .bar { color: #5c6370; border-bottom: 1px solid #3e4451; margin-bottom: 10px; padding-bottom: 6px; }
</style></head><body><div class="term"><div class="bar">tmux 80×60 · FORCE_COLOR=1 lmi-audit scan fixtures/projects/sample-app --fail-on none</div>${html}</div></body></html>\n`,
);
fs.writeFileSync(rowsFile, String(lines.length));
console.log(`captured lines: ${lines.length}`);
JS
# 80 columns of 13px DejaVu Sans Mono are ~630 px; the height holds the whole scroll-back.
rows="$(cat "$work/rows")"
shoot "$work/pane.html" "$out/text-report-80.png" "700,$((rows * 18 + 80))"
