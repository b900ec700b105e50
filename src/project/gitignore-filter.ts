/**
 * @fileoverview The cheap pre-check discovery runs before asking `ignore` whether a file or a
 * directory is ignored (src/project/files.ts). For an entry whose directory is not excluded,
 * only a rule that matches the entry itself can ignore it, and such a rule's last two segments
 * match the entry's `parent/name` (the name of its directory, '' at the base). The pre-check
 * answers "maybe" for every such pair and "no" for most others: a superset is enough, `ignore`
 * decides the maybes.
 *
 * It does not use one big regex: hundreds of rules (`*.log`, `*.suo`, … in the common
 * templates), each an alternative starting with `[^/]*`, backtrack over every name once per
 * rule. Instead a segment is read as what it nearly always is, a literal (`coverage`), a suffix
 * (`*.log`) or a prefix (`npm-debug.log*`), looked up by name, by extension or by a scan of the
 * few prefixes; only the rest (`*.py[cod]`) go to a small regex.
 */

/** What one segment of a rule matches, read from its glob. */
type Segment =
  | { kind: 'any' }
  | { kind: 'literal'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'pattern'; source: string };

/** A rule as the pre-check reads it: what its parent segment (null: any) and its last segment match. */
export interface FilterRule {
  parent: Segment | null;
  name: Segment;
}

/**
 * The rule of a `.gitignore` pattern (already rebased onto the base, as `ignore` gets it) for
 * files, or with `forDirectories` for directories (directory-only rules count then). Null: the
 * pre-check cannot read it (every entry is then tested); undefined: it ignores no such entry.
 */
export function readRule(pattern: string, forDirectories: boolean): FilterRule | null | undefined {
  if (pattern.startsWith('!')) return undefined; // a negation never ignores anything
  if (pattern.endsWith('/')) {
    if (!forDirectories) return undefined; // directories only
    pattern = pattern.slice(0, -1);
  }
  const segments = pattern.split('/');
  const last = segments[segments.length - 1]!;
  if (last === '') return null;
  const name = readSegment(last);
  if (name === null) return null;
  // `**/x`: any parent. `a/**` ignores what lies at any depth below `a`, also in a directory a
  // negation takes back (`!a/keep/`): any parent too.
  const before = segments.length >= 2 && last !== '**' ? segments[segments.length - 2]! : '**';
  const parent = before === '**' ? null : readSegment(before);
  return { parent: parent?.kind === 'any' ? null : parent, name };
}

/**
 * A segment's glob: `*` (and `**` inside a segment, which gitignore reads as `*`) is any run of
 * characters; `?`, a bracket expression and an escaped character are any one character. Null
 * for an unterminated bracket.
 */
function readSegment(segment: string): Segment | null {
  let source = '';
  let literal = '';
  const stars: number[] = []; // where each `*` run sits in `literal`
  let plain = true; // only literal characters and `*`
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') {
      while (segment[i + 1] === '*') i++;
      source += '[^/]*';
      stars.push(literal.length);
    } else if (c === '?' || c === '\\' || c === '[') {
      if (c === '\\' && ++i >= segment.length) return null;
      if (c === '[') {
        // `]` right after `[`, `[!` or `[^` is a member, not the end.
        let end = i + 1;
        if (segment[end] === '!' || segment[end] === '^') end++;
        if (segment[end] === ']') end++;
        end = segment.indexOf(']', end);
        if (end < 0) return null;
        i = end;
      }
      source += '[^/]';
      plain = false;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      literal += c;
    }
  }
  if (plain && stars.length === 0) return { kind: 'literal', text: literal };
  if (plain && stars.length === 1 && literal === '') return { kind: 'any' };
  if (plain && stars.length === 1 && stars[0] === 0) return { kind: 'suffix', text: literal };
  if (plain && stars.length === 1 && stars[0] === literal.length) return { kind: 'prefix', text: literal };
  return { kind: 'pattern', source };
}

/** Segments of any parent, indexed by how they are looked up. */
class SegmentSet {
  private any = false;
  private readonly literals = new Set<string>();
  /** Suffixes by their last `.extension` ('' for none): a name looks at its own extension's and at ''. */
  private readonly suffixes = new Map<string, string[]>();
  private readonly prefixes: string[] = [];
  private readonly patterns: string[] = [];
  private regex: RegExp | undefined;

  constructor(private readonly ignoreCase: boolean) {}

  add(segment: Segment): void {
    const fold = (text: string) => (this.ignoreCase ? text.toLowerCase() : text);
    switch (segment.kind) {
      case 'any':
        this.any = true;
        break;
      case 'literal':
        this.literals.add(fold(segment.text));
        break;
      case 'suffix': {
        const text = fold(segment.text);
        const key = extensionOf(text);
        const list = this.suffixes.get(key);
        if (list) list.push(text);
        else this.suffixes.set(key, [text]);
        break;
      }
      case 'prefix':
        this.prefixes.push(fold(segment.text));
        break;
      case 'pattern':
        this.patterns.push(segment.source);
        break;
    }
  }

  /** Call once every segment is added. */
  seal(): void {
    if (this.patterns.length) this.regex = new RegExp(`^(?:${this.patterns.join('|')})$`, this.ignoreCase ? 'i' : '');
  }

  has(name: string): boolean {
    if (this.any) return true;
    const folded = this.ignoreCase ? name.toLowerCase() : name;
    if (this.literals.has(folded)) return true;
    // A name ending with a suffix has the suffix's extension (after its last dot), or the suffix has none.
    if (this.suffixes.get(extensionOf(folded))?.some((s) => folded.endsWith(s))) return true;
    if (this.suffixes.get('')?.some((s) => folded.endsWith(s))) return true;
    if (this.prefixes.some((p) => folded.startsWith(p))) return true;
    return this.regex !== undefined && this.regex.test(name);
  }
}

/** The text from the last `.` of a suffix on, '' without one. */
function extensionOf(text: string): string {
  const dot = text.lastIndexOf('.');
  return dot < 0 ? '' : text.slice(dot);
}

/** The pre-check of a list of rules (null: some rule could not be read, every entry is tested). */
export class NameFilter {
  private readonly anyParent: SegmentSet;
  /** The rules that name a parent, each segment read as a set of one. */
  private readonly withParent: Array<{ parent: SegmentSet; name: SegmentSet }> = [];

  constructor(
    readonly rules: readonly FilterRule[],
    ignoreCase: boolean,
  ) {
    const setOf = (...segments: Segment[]) => {
      const set = new SegmentSet(ignoreCase);
      for (const segment of segments) set.add(segment);
      set.seal();
      return set;
    };
    this.anyParent = setOf(...rules.filter((r) => r.parent === null).map((r) => r.name));
    for (const rule of rules) if (rule.parent !== null) this.withParent.push({ parent: setOf(rule.parent), name: setOf(rule.name) });
  }

  /** Might a rule ignore the entry `name` directly in a directory named `parent` ('' at the base)? */
  mayMatch(parent: string, name: string): boolean {
    return this.anyParent.has(name) || this.withParent.some((rule) => rule.parent.has(parent) && rule.name.has(name));
  }
}
