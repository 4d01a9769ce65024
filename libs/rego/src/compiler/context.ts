// State shared by the compile stages: the (rewritten) modules, the rule tree, diagnostics.
import { DiagnosticBag } from '../diagnostics';
import type { Policy } from '../planner/ir';
import type { Module, Rule } from '../syntax/ast';
import { RuleTree } from './ruletree';
import type { FuncMock } from './with-mocks';

export interface CompileOptions {
  /** Slash paths of the documents to plan: "mcp/decision" = data.mcp.decision. */
  entrypoints: string[];
}

export class CompileContext {
  readonly diags = new DiagnosticBag();
  tree = new RuleTree();
  policy?: Policy;
  /** `with` modifiers replacing functions, by withKey(modifier.loc). */
  readonly funcMocks = new Map<string, FuncMock>();
  /** Rules left out of later stages because an error points into them (see runStages). */
  readonly dropped: Rule[] = [];
  private counter = 0;

  constructor(
    public modules: Module[],
    readonly opts: CompileOptions,
  ) {}

  /** A fresh suffix for renamed variables. */
  fresh(): number {
    return ++this.counter;
  }
}

export interface Stage {
  name: string;
  run(ctx: CompileContext): void;
  /** Stages that cannot run on a broken program are skipped once errors exist. */
  needsClean?: boolean;
}
