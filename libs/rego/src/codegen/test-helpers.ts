// Test helpers: compile a hand-written IR policy and load it with opa-wasm.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import type { Block, Func, Operand, Plan, Policy, Stmt } from '../planner/ir';
import { loadBinaryen } from './binaryen';
import { generateWasm } from './module';

export async function compileIr(policy: Policy): Promise<Uint8Array> {
  const b = await loadBinaryen();
  return generateWasm(b, policy, { validate: true });
}

export async function loadIr(policy: Policy, data?: unknown, builtins: Record<string, (...a: any[]) => unknown> = {}) {
  const wasm = await compileIr(policy);
  const p = await loadPolicy(wasm, undefined, builtins);
  if (data !== undefined) p.setData(data as object);
  return p;
}

/** Builds Policy.strings on the fly. */
export class Strings {
  readonly list: string[] = [];
  s(v: string): number {
    const i = this.list.indexOf(v);
    if (i >= 0) return i;
    this.list.push(v);
    return this.list.length - 1;
  }
  op(v: string): Operand {
    return { kind: 'string', index: this.s(v) };
  }
}

export const L = (local: number): Operand => ({ kind: 'local', local });
export const blk = (...stmts: Stmt[]): Block => ({ stmts });

/** A plan that calls `func` (a rule with no args) and returns {"result": value}. */
export function rulePlan(name: string, func: string, S: Strings): Plan {
  return {
    name,
    localCount: 4,
    blocks: [
      blk(
        { op: 'call', func, args: [L(0), L(1)], result: 2 },
        { op: 'make_object', target: 3 },
        { op: 'object_insert', object: 3, key: S.op('result'), value: L(2) },
        { op: 'result_add', value: 3 },
      ),
    ],
  };
}

export function ruleFunc(name: string, localCount: number, blocks: Block[], cacheable = true): Func {
  return { name, path: name.split('.').slice(2), kind: 'rule', params: [0, 1], returnLocal: 2, blocks, localCount, cacheable };
}
