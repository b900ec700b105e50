/**
 * @fileoverview Python version constraints as npm semver ranges, so that the one dependency-floor
 * check (src/rules/lifecycle.ts, with `semver`) judges Python packages too. Two syntaxes are read:
 * PEP 440 specifiers (`>=3.0,<4`, `~=3.20`, `==3.5.*`, `!=3.1.0`; requirements.txt and PEP 621
 * `project.dependencies`, packaging.python.org/en/latest/specifications/version-specifiers/) and
 * Poetry constraints, which add `^`, `~`, a bare version and `||`
 * (python-poetry.org/docs/dependency-specification/). A Python version is cut to its first three
 * release numbers (`3.23.0.post1` is 3.23.0, a pre-release keeps its tag: `3.23.0rc1` is
 * `3.23.0-rc1`), which is exact enough to compare with a floor. `!=` is dropped: excluding one
 * version never decides whether a range reaches a floor.
 */

/** A Python version as semver (`3.23` -> `3.23.0`, `3.23.0rc1` -> `3.23.0-rc1`); undefined for what is no version (`1!2.0`, `latest`). */
export function toSemverVersion(version: string): string | undefined {
  const m =
    /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[\w.]+)?$/i.exec(
      version.trim(),
    );
  if (!m) return undefined;
  const release = m[1]!.split('.').map((n) => String(Number(n)));
  while (release.length < 3) release.push('0');
  const base = release.slice(0, 3).join('.');
  if (m[2] === undefined) return base;
  const tag = { alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' }[m[2].toLowerCase()] ?? m[2].toLowerCase();
  return `${base}-${tag}${m[3] || '0'}`;
}

/**
 * The semver range a Python constraint allows; `*` for none (any version), undefined when it
 * cannot be read (a URL, an epoch, an arbitrary-equality string).
 * @param poetry read Poetry's syntax too (`^1.2`, `~1.2`, a bare `1.2`, `||`)
 */
export function toSemverRange(constraint: string, poetry = false): string | undefined {
  const text = constraint.trim();
  if (text === '' || text === '*') return '*';
  const alternatives = poetry ? text.split('||') : [text];
  const out: string[] = [];
  for (const alternative of alternatives) {
    const comparators: string[] = [];
    for (const raw of alternative.split(',')) {
      const clause = raw.trim();
      if (clause === '' || clause === '*') continue;
      const translated = translateClause(clause, poetry);
      if (translated === undefined) return undefined;
      if (translated !== '') comparators.push(translated);
    }
    out.push(comparators.length ? comparators.join(' ') : '*');
  }
  return out.join(' || ');
}

function translateClause(clause: string, poetry: boolean): string | undefined {
  const m = /^(~=|===|==|!=|<=|>=|<|>|\^|~)?\s*(.+)$/.exec(clause);
  if (!m) return undefined;
  const op = m[1] ?? (poetry ? '==' : undefined);
  const version = m[2]!.trim();
  if (op === undefined) return undefined;
  if ((op === '^' || op === '~') && !poetry) return undefined;
  if (op === '!=') return '';
  const wildcard = /^(\d+(?:\.\d+)*)\.\*$/.exec(version);
  if (wildcard) {
    // `==3.5.*` is every 3.5.x; `!=` was dropped above; other operators take no wildcard.
    return op === '==' ? `${wildcard[1]}.x` : undefined;
  }
  const exact = toSemverVersion(version);
  if (exact === undefined) return undefined;
  const release = version
    .replace(/^v/i, '')
    .split(/[^\d.]/)[0]!
    .split('.')
    .filter((n) => n !== '')
    .map(Number);
  switch (op) {
    case '==':
    case '===':
      return exact;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${op}${exact}`;
    case '~=': {
      // `~=X.Y` is >=X.Y, ==X.*; `~=X.Y.Z` is >=X.Y.Z, ==X.Y.*. It needs two release numbers.
      if (release.length < 2) return undefined;
      const prefix = release.slice(0, -1);
      prefix[prefix.length - 1]! += 1;
      return `>=${exact} <${toSemverVersion(prefix.join('.'))}-0`;
    }
    default:
      // Poetry's `^` and `~` mean what npm's do (python-poetry.org/docs/dependency-specification/).
      return `${op}${release.join('.')}`;
  }
}
