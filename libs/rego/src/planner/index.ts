// The planner: rule groups and entrypoints → the IR Policy (see ir.ts for the contract).
import type { CompileContext } from '../compiler/context';
import type { Term } from '../syntax/ast';
import { Scope } from './builder';
import type { Policy } from './ir';
import { Planner } from './planner';
import { planDataRef } from './refs';

export type { Policy } from './ir';

/** Plans every entrypoint (`a/b` = data.a.b): each adds `{"result": value}` when defined. */
export function planPolicy(ctx: CompileContext): Policy {
  const p = new Planner(ctx);
  for (const ep of ctx.opts.entrypoints) {
    const { fb } = p.startFunc(0);
    const loc = { file: '<entrypoint>', line: 1, col: 1, offset: 0 };
    const path: Term[] = ep
      .split('/')
      .filter((s) => s.length > 0)
      .map((value) => ({ type: 'string', value, loc }));
    planDataRef(p, path, Scope.empty(), (op) => {
      const obj = fb.local();
      fb.emit({ op: 'make_object', target: obj });
      fb.emit({ op: 'object_insert', object: obj, key: { kind: 'string', index: p.pb.str('result') }, value: op });
      fb.emit({ op: 'result_add', value: obj });
    });
    p.pb.plans.push({ name: ep, blocks: fb.blocks, localCount: fb.localCount });
    p.drain();
  }
  p.drain();
  return p.pb.policy();
}
