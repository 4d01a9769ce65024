// Emission helpers: the policy-wide tables (strings, builtins, funcs) and a per-function
// builder that allocates locals and appends statements to the current block.
import type { Location } from '../syntax/ast';
import type { Block, BuiltinRef, Func, Local, Operand, Plan, Policy, SourceLoc, Stmt } from './ir';

export class PolicyBuilder {
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly builtins = new Map<string, BuiltinRef>();
  readonly funcs: Func[] = [];
  readonly plans: Plan[] = [];

  str(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  builtin(name: string, arity: number): void {
    if (!this.builtins.has(name)) this.builtins.set(name, { name, arity });
  }

  policy(): Policy {
    return { strings: this.strings, builtins: [...this.builtins.values()], funcs: this.funcs, plans: this.plans };
  }
}

export class FuncBuilder {
  private next: Local;
  private current: Stmt[];
  readonly blocks: Block[] = [];

  constructor(firstFree: Local) {
    this.next = firstFree;
    const b: Block = { stmts: [] };
    this.blocks.push(b);
    this.current = b.stmts;
  }

  get localCount(): number {
    return this.next;
  }

  local(): Local {
    return this.next++;
  }

  emit(s: Stmt): void {
    this.current.push(s);
  }

  /** Kinds of the blocks being built, innermost last ('barrier' = not/with bodies). */
  private readonly open: Array<'plain' | 'barrier'> = [];

  get depth(): number {
    return this.open.length;
  }

  /** True when a `break` from here to depth d crosses no not/with body. */
  canBreakTo(d: number): boolean {
    return this.open.slice(d).every((k) => k === 'plain');
  }

  /** Runs fn with statements going to a new block, which is returned (not emitted). */
  block(fn: () => void, kind: 'plain' | 'barrier' = 'plain'): Block {
    const saved = this.current;
    const b: Block = { stmts: [] };
    this.current = b.stmts;
    this.open.push(kind);
    try {
      fn();
    } finally {
      this.current = saved;
      this.open.pop();
    }
    return b;
  }

  /** Emits `block { fn }`: a failure inside ends only that block. */
  inBlock(fn: () => void): void {
    this.emit({ op: 'block', blocks: [this.block(fn)] });
  }

  /** The operand as a local (scan/len/… need locals). */
  toLocal(op: Operand): Local {
    if (op.kind === 'local') return op.local;
    const l = this.local();
    this.emit({ op: 'assign', source: op, target: l });
    return l;
  }
}

export function local(l: Local): Operand {
  return { kind: 'local', local: l };
}

export function srcLoc(loc: Location | undefined): SourceLoc | undefined {
  return loc && { file: loc.file, line: loc.line, col: loc.col };
}

/** Variable bindings visible at a point of a body: name → local. Copied on write. */
export class Scope {
  private constructor(private readonly vars: Map<string, Local>) {}
  static empty(): Scope {
    return new Scope(new Map());
  }
  get(name: string): Local | undefined {
    return this.vars.get(name);
  }
  has(name: string): boolean {
    return this.vars.has(name);
  }
  bind(name: string, l: Local): Scope {
    const m = new Map(this.vars);
    m.set(name, l);
    return new Scope(m);
  }
}
