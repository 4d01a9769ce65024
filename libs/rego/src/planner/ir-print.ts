// A readable text form of the IR, for golden tests and debugging: planner changes show up as
// reviewable diffs. Locals print as %n, strings inline as JSON, nested blocks indented.
import type { Block, Func, Operand, Plan, Policy, Stmt } from './ir';

export function printPolicy(p: Policy, opts: { locations?: boolean } = {}): string {
  const out: string[] = [];
  const w = new Writer(p, out, opts.locations ?? false);
  if (p.builtins.length) out.push(`builtins ${p.builtins.map((b) => `${b.name}/${b.arity}`).join(' ')}`);
  const funcs = [...p.funcs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of funcs) w.func(f);
  for (const plan of p.plans) w.plan(plan);
  return out.join('\n') + '\n';
}

class Writer {
  constructor(
    private readonly p: Policy,
    private readonly out: string[],
    private readonly locations: boolean,
  ) {}

  func(f: Func): void {
    const params = f.params.map((l) => `%${l}`).join(', ');
    this.out.push('', `func ${f.name}(${params}) -> %${f.returnLocal}${f.cacheable ? ' cacheable' : ''}`);
    this.blocks(f.blocks, 1);
  }

  plan(p: Plan): void {
    this.out.push('', `plan ${p.name}`);
    this.blocks(p.blocks, 1);
  }

  private blocks(bs: Block[], depth: number): void {
    bs.forEach((b, i) => {
      if (bs.length > 1) this.line(depth, `#${i}`);
      for (const s of b.stmts) this.stmt(s, bs.length > 1 ? depth + 1 : depth);
    });
  }

  private line(depth: number, text: string): void {
    this.out.push('  '.repeat(depth) + text);
  }

  private op(o: Operand): string {
    if (o.kind === 'local') return `%${o.local}`;
    if (o.kind === 'bool') return String(o.value);
    return JSON.stringify(this.p.strings[o.index]);
  }

  private str(i: number): string {
    return JSON.stringify(this.p.strings[i]);
  }

  private stmt(s: Stmt, d: number): void {
    const o = (x: Operand) => this.op(x);
    const at = 'loc' in s && s.loc && this.locations ? `  @${s.loc.file}:${s.loc.line}:${s.loc.col}` : '';
    switch (s.op) {
      case 'block':
        this.line(d, 'block');
        return this.blocks(s.blocks, d + 1);
      case 'scan':
        this.line(d, `scan %${s.source} (%${s.key}, %${s.value})`);
        return this.blocks([s.block], d + 1);
      case 'not':
        this.line(d, 'not');
        return this.blocks([s.block], d + 1);
      case 'with':
        this.line(d, `with %${s.local}${s.path.map((i) => `[${this.str(i)}]`).join('')} = ${o(s.value)}`);
        return this.blocks([s.block], d + 1);
      case 'break':
        return this.line(d, `break ${s.index}`);
      case 'call':
        return this.line(d, `%${s.result} = ${s.builtin ? 'builtin ' : ''}${s.func}(${s.args.map(o).join(', ')})${at}`);
      case 'dot':
        return this.line(d, `%${s.target} = ${o(s.source)}[${o(s.key)}]`);
      case 'equal':
      case 'not_equal':
        return this.line(d, `${s.op} ${o(s.a)}, ${o(s.b)}`);
      case 'is_array':
      case 'is_object':
      case 'is_set':
        return this.line(d, `${s.op} ${o(s.source)}`);
      case 'is_defined':
      case 'is_undefined':
        return this.line(d, `${s.op} %${s.source}`);
      case 'len':
        return this.line(d, `%${s.target} = len ${o(s.source)}`);
      case 'make_null':
        return this.line(d, `%${s.target} = null`);
      case 'make_bool':
        return this.line(d, `%${s.target} = ${s.value}`);
      case 'make_number':
        return this.line(d, `%${s.target} = number ${this.p.strings[s.raw]}`);
      case 'make_number_int':
        return this.line(d, `%${s.target} = ${s.value}`);
      case 'make_string':
        return this.line(d, `%${s.target} = ${this.str(s.index)}`);
      case 'make_array':
        return this.line(d, `%${s.target} = []${s.capacity ? ` (capacity ${s.capacity})` : ''}`);
      case 'make_object':
        return this.line(d, `%${s.target} = {}`);
      case 'make_set':
        return this.line(d, `%${s.target} = set()`);
      case 'assign':
        return this.line(d, `%${s.target} = ${o(s.source)}`);
      case 'assign_once':
        return this.line(d, `%${s.target} := once ${o(s.source)}${at}`);
      case 'reset':
        return this.line(d, `reset %${s.target}`);
      case 'array_append':
        return this.line(d, `append %${s.array}, ${o(s.value)}`);
      case 'object_insert':
        return this.line(d, `insert %${s.object}[${o(s.key)}] = ${o(s.value)}`);
      case 'object_insert_once':
        return this.line(d, `insert once %${s.object}[${o(s.key)}] = ${o(s.value)}${at}`);
      case 'object_merge':
        return this.line(d, `%${s.target} = merge ${o(s.a)}, ${o(s.b)}`);
      case 'set_add':
        return this.line(d, `add %${s.set}, ${o(s.value)}`);
      case 'return':
        return this.line(d, `return %${s.source}`);
      case 'result_add':
        return this.line(d, `result %${s.value}`);
      case 'nop':
        return this.line(d, 'nop');
    }
  }
}
