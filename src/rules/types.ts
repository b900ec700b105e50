/**
 * @fileoverview What a rule is. A rule is one file under src/rules/<id>.ts: its metadata, its
 * documentation (shown by `explain`, rendered into the README table) and its messages, plus
 * the analysis in two phases:
 *  - `visitors` run inside the per-file walk (possibly on a worker thread) and record
 *    serialisable facts about the file;
 *  - `check` runs once over the whole project graph and turns facts into findings.
 */
import type { ChecklistItem, Severity } from '../types.js';

export interface RuleDocs {
  /** One line: what the rule finds. */
  summary: string;
  /** Why the pattern breaks under LMI concurrency (runtime facts, with sources where useful). */
  why: string;
  /** Code the rule reports. */
  bad: string;
  /** The safe version, and look-alikes the rule does not report. */
  good: string;
  /** How to fix it by hand, and which transform does it automatically. */
  howToFix: string;
  /** When it is reasonable to turn the rule off. */
  whenNotToUse: string;
}

export interface RuleMeta<MessageId extends string = string> {
  id: string;
  checklist: ChecklistItem;
  /** Default severity of the rule's findings (a message may report lower, e.g. an `info` note). */
  severity: Severity;
  /** The transform that fixes the rule's findings; `messages` limits it to the findings of those messages (default: all). */
  fix: { transform: string; safety: 'safe' | 'unsafe'; messages?: readonly MessageId[] } | null;
  docs: RuleDocs;
  /** Message templates with `{{placeholder}}` slots; every report names one. */
  messages: Record<MessageId, string>;
}
