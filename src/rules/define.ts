/**
 * @fileoverview `defineRule` and the context a rule's `check` phase gets: the project graph,
 * the handlers with what each one reaches, and `report`.
 */
import type { Fact, FileSummary, Loc, PathValue } from '../core/summary.js';
import type { IacFunction } from '../iac/index.js';
import type { VisitorMap } from '../lang/js/context.js';
import type { PythonVisitorMap } from '../lang/python/context.js';
import type { ProjectGraph, Reach } from '../core/graph.js';
import type { Severity } from '../types.js';
import type { RuleMeta } from './types.js';

export interface HandlerInfo {
  /** Position in the report's function list. */
  index: number;
  id: string;
  file: number;
  reach: Reach;
  /** The infrastructure definition naming this handler, when there is one. */
  iac?: IacFunction;
}

/** What a rule may need to know about a function to decide whether it applies to it. */
export interface FunctionFacts {
  language: 'javascript' | 'python';
  runtime?: string;
  iac?: IacFunction;
}

export interface RuleReport<MessageId extends string> {
  /** A summarised source file (its index), or the absolute path of another file (a template). */
  file: number | string;
  loc: Loc;
  messageId: MessageId;
  data?: Record<string, string>;
  /** The handlers whose invocations run the flagged code. */
  handlers: readonly HandlerInfo[];
  /** More report function ids, for findings in infrastructure code (Python functions have no handler entry): see `functionIdsOf`. */
  functionIds?: readonly string[];
  /** Defaults to the rule's severity. */
  severity?: Severity;
  /** False when the rule's transform cannot fix this finding (its transform is for JavaScript/TypeScript, the code is Python). */
  fixable?: boolean;
}

export interface CheckContext<MessageId extends string = string, F extends object = Record<string, unknown>> {
  readonly graph: ProjectGraph;
  readonly files: readonly FileSummary[];
  readonly handlers: readonly HandlerInfo[];
  /** Every function the infrastructure code defines (SAM/CloudFormation, serverless.yml, CDK). */
  readonly infra: readonly IacFunction[];
  /** The report function ids of the code an infrastructure function names (a JS/TS handler or a Python function); empty when none was found. */
  functionIdsOf(fn: IacFunction): string[];
  /** Absolute paths of the package.json files discovery found. */
  readonly packageJsons: readonly string[];
  /** Absolute paths of the Python dependency manifests discovery found (requirements.txt, pyproject.toml). */
  readonly pythonManifests: readonly string[];
  /** This rule's facts (what its visitors recorded) from every analysed file. */
  facts(): Iterable<{ file: number; fact: Fact & F }>;
  /**
   * The facts another rule recorded, for rules that share evidence through the rule kit
   * (src/kit/check-then-act.ts) instead of importing each other.
   */
  factsOf<G extends object>(ruleId: string): Iterable<{ file: number; fact: Fact & G }>;
  /** Handlers whose invocations can run function `fn` of `file` (none for module scope). */
  handlersReaching(file: number, fn: number): HandlerInfo[];
  /** Is parameter `index` of that function a handler's `event` (0) or `context` (1)? */
  isHandlerParam(file: number, fn: number, index: number): boolean;
  /**
   * Does parameter `index` of that function receive event data: a handler's `event` or
   * `context`, or what a caller passes on from them (`download(record.s3.object.key)`)?
   */
  isEventParam(file: number, fn: number, index: number): boolean;
  /** The path values the callers in invocation code pass to that parameter, each in its caller's file. */
  callerPaths(file: number, fn: number, index: number): ReadonlyArray<{ file: number; value: PathValue }>;
  /** Is there an `await` in function `fn` at a position in [from, to)? */
  awaitBetween(file: number, fn: number, from: number, to: number): boolean;
  report(report: RuleReport<MessageId>): void;
}

/**
 * A rule: its metadata, its visitors (run inside the single walk of each file, possibly on a
 * worker thread) recording facts of type `F`, and `check`, which reads those facts back.
 */
export interface Rule<MessageId extends string = string, F extends object = Record<string, unknown>> extends RuleMeta<MessageId> {
  /** Per-file visitors for JavaScript/TypeScript, run inside the single walk of each file. */
  visitors: VisitorMap<F>;
  /** Visitors for Python files (by tree-sitter node type), run inside the Python walk. */
  python?: PythonVisitorMap<F>;
  /**
   * Does the rule judge this function? Functions it does not apply to show its checklist item as
   * `unknown` (or `not-applicable`), never `pass`. Default: JavaScript/TypeScript functions.
   */
  appliesTo?: (fn: FunctionFacts) => boolean;
  check(ctx: CheckContext<MessageId, F>): void;
}

export function defineRule<MessageId extends string, F extends object = Record<string, never>>(rule: Rule<MessageId, F>): Rule<MessageId, F> {
  return rule;
}
