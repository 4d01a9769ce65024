// Code generation from hand-written IR, run through opa-wasm exactly as production does.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Block, Func, Policy, Stmt } from '../planner/ir';
import { WA } from './wasm-api';
import { L, Strings, blk, compileIr, loadIr, ruleFunc, rulePlan } from './test-helpers';

const T = { kind: 'bool', value: true } as const;

/** One rule `g0.data.t.r` whose body is `stmts` (locals: 0 input, 1 data, 2 result, 3.. free). */
function single(S: Strings, blocks: Block[], localCount = 12, extraFuncs: Func[] = []): Policy {
  return {
    strings: S.list,
    builtins: [],
    funcs: [ruleFunc('g0.data.t.r', localCount, blocks), ...extraFuncs],
    plans: [rulePlan('t/r', 'g0.data.t.r', S)],
  };
}

async function run(policy: Policy, input: unknown, data?: unknown, builtins?: Record<string, (...a: any[]) => unknown>) {
  const p = await loadIr(policy, data, builtins);
  return p.evaluate(input, 't/r');
}

describe('codegen: basic statements', () => {
  test('dot/equal/assign_once produce the rule value; undefined gives an empty result set', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'dot', source: L(0), key: S.op('user'), target: 3 },
        { op: 'equal', a: L(3), b: S.op('alice') },
        { op: 'assign_once', source: T, target: 2 },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ user: 'alice' }, 't/r'), [{ result: true }]);
    assert.deepEqual(p.evaluate({ user: 'bob' }, 't/r'), []);
    assert.deepEqual(p.evaluate(undefined, 't/r'), []);
    assert.deepEqual(p.entrypoints, { 't/r': 0 });
  });

  test('make_* constants, arrays, objects and sets', async () => {
    const S = new Strings();
    const stmts: Stmt[] = [
      { op: 'make_object', target: 2 },
      { op: 'make_null', target: 3 },
      { op: 'object_insert', object: 2, key: S.op('null'), value: L(3) },
      { op: 'make_bool', value: false, target: 3 },
      { op: 'object_insert', object: 2, key: S.op('bool'), value: L(3) },
      { op: 'make_number', raw: S.s('12345678901234567890123'), target: 3 },
      { op: 'object_insert', object: 2, key: S.op('big'), value: L(3) },
      { op: 'make_number', raw: S.s('2.5'), target: 3 },
      { op: 'object_insert', object: 2, key: S.op('float'), value: L(3) },
      { op: 'make_number_int', value: -7, target: 3 },
      { op: 'object_insert', object: 2, key: S.op('int'), value: L(3) },
      { op: 'make_string', index: S.s('héllo'), target: 3 },
      { op: 'object_insert', object: 2, key: S.op('str'), value: L(3) },
      { op: 'make_array', capacity: 1, target: 4 },
      { op: 'array_append', array: 4, value: S.op('a') },
      { op: 'array_append', array: 4, value: T },
      { op: 'array_append', array: 4, value: S.op('b') },
      { op: 'object_insert', object: 2, key: S.op('arr'), value: L(4) },
      { op: 'make_set', target: 5 },
      { op: 'set_add', set: 5, value: S.op('z') },
      { op: 'set_add', set: 5, value: S.op('a') },
      { op: 'set_add', set: 5, value: S.op('z') },
      { op: 'object_insert', object: 2, key: S.op('set'), value: L(5) },
      { op: 'len', source: L(5), target: 6 },
      { op: 'object_insert', object: 2, key: S.op('len'), value: L(6) },
    ];
    const rs = (await run(single(S, [blk(...stmts)]), {})) as Array<{ result: Record<string, unknown> }>;
    assert.equal(rs.length, 1);
    const r = rs[0].result;
    assert.deepEqual(Object.keys(r), ['arr', 'big', 'bool', 'float', 'int', 'len', 'null', 'set', 'str']);
    assert.equal(r.null, null);
    assert.equal(r.bool, false);
    assert.equal(String(r.big), String(12345678901234567890123));
    assert.equal(r.float, 2.5);
    assert.equal(r.int, -7);
    assert.equal(r.str, 'héllo');
    assert.deepEqual(r.arr, ['a', true, 'b']);
    assert.deepEqual(r.set, ['a', 'z']);
    assert.equal(r.len, 2);
  });

  test('not_equal, is_* type checks, is_defined / is_undefined and reset', async () => {
    const S = new Strings();
    // r = [checks that passed]
    const check = (name: string, ...stmts: Stmt[]): Block =>
      blk(...stmts, { op: 'array_append', array: 2, value: S.op(name) });
    const policy = single(S, [
      blk({ op: 'make_array', capacity: 0, target: 2 }, { op: 'dot', source: L(0), key: S.op('v'), target: 3 }),
      check('ne', { op: 'not_equal', a: L(3), b: S.op('x') }),
      check('arr', { op: 'is_array', source: L(3) }),
      check('obj', { op: 'is_object', source: L(3) }),
      check('set', { op: 'is_set', source: L(3) }),
      check('def', { op: 'is_defined', source: 3 }),
      check('undef', { op: 'is_undefined', source: 4 }),
      check('reset', { op: 'reset', target: 3 }, { op: 'is_undefined', source: 3 }),
    ]);
    assert.deepEqual(await run(policy, { v: [1] }), [{ result: ['ne', 'arr', 'def', 'undef', 'reset'] }]);
    assert.deepEqual(await run(policy, { v: 'x' }), [{ result: ['def', 'undef', 'reset'] }]);
    assert.deepEqual(await run(policy, { v: { a: 1 } }), [{ result: ['ne', 'obj', 'def', 'undef', 'reset'] }]);
    assert.deepEqual(await run(policy, {}), [{ result: ['undef', 'reset'] }]);
  });
});

describe('codegen: control flow', () => {
  test('scan visits arrays by index, objects and sets in key order', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'make_array', capacity: 0, target: 2 },
        { op: 'dot', source: L(0), key: S.op('c'), target: 3 },
        {
          op: 'scan',
          source: 3,
          key: 4,
          value: 5,
          block: blk(
            { op: 'make_array', capacity: 2, target: 6 },
            { op: 'array_append', array: 6, value: L(4) },
            { op: 'array_append', array: 6, value: L(5) },
            { op: 'array_append', array: 2, value: L(6) },
          ),
        },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ c: ['a', 'b'] }, 't/r'), [{ result: [[0, 'a'], [1, 'b']] }]);
    assert.deepEqual(p.evaluate({ c: { y: 1, x: 2 } }, 't/r'), [{ result: [['x', 2], ['y', 1]] }]);
    assert.deepEqual(p.evaluate({ c: 'scalar' }, 't/r'), [{ result: [] }]);
    assert.deepEqual(p.evaluate({}, 't/r'), [{ result: [] }]);
  });

  test('undefined statements inside a scan skip to the next element; break 1 leaves the loop', async () => {
    const S = new Strings();
    // r = elements > 2 until the first "stop"
    const policy = single(S, [
      blk(
        { op: 'make_array', capacity: 0, target: 2 },
        { op: 'dot', source: L(0), key: S.op('c'), target: 3 },
        {
          op: 'block',
          blocks: [
            blk({
              op: 'scan',
              source: 3,
              key: 4,
              value: 5,
              block: blk(
                {
                  op: 'block',
                  blocks: [blk({ op: 'equal', a: L(5), b: S.op('stop') }, { op: 'break', index: 2 })],
                },
                { op: 'make_number_int', value: 2, target: 6 },
                { op: 'call', func: 'gt', builtin: true, args: [L(5), L(6)], result: 7 },
                { op: 'equal', a: L(7), b: T },
                { op: 'array_append', array: 2, value: L(5) },
              ),
            }),
          ],
        },
      ),
    ]);
    assert.deepEqual(await run(policy, { c: [1, 5, 2, 3, 'stop', 9] }), [{ result: [5, 3] }]);
  });

  test('not completes only when its body is undefined', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'dot', source: L(0), key: S.op('v'), target: 3 },
        { op: 'not', block: blk({ op: 'equal', a: L(3), b: S.op('deny') }) },
        { op: 'assign_once', source: T, target: 2 },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ v: 'ok' }, 't/r'), [{ result: true }]);
    assert.deepEqual(p.evaluate({ v: 'deny' }, 't/r'), []);
  });

  test('with replaces input for its block and restores it, also when a break leaves early', async () => {
    const S = new Strings();
    const helper: Func = {
      name: 'g0.data.t.user',
      path: ['t', 'user'],
      kind: 'rule',
      params: [0, 1],
      returnLocal: 2,
      localCount: 4,
      cacheable: true,
      blocks: [blk({ op: 'dot', source: L(0), key: S.op('user'), target: 3 }, { op: 'assign_once', source: L(3), target: 2 })],
    };
    const policy = single(
      S,
      [
        blk(
          { op: 'make_array', capacity: 0, target: 2 },
          { op: 'call', func: 'g0.data.t.user', args: [L(0), L(1)], result: 3 },
          { op: 'array_append', array: 2, value: L(3) },
          {
            op: 'with',
            local: 0,
            path: [S.s('user')],
            value: S.op('mallory'),
            block: blk(
              { op: 'call', func: 'g0.data.t.user', args: [L(0), L(1)], result: 4 },
              { op: 'array_append', array: 2, value: L(4) },
            ),
          },
          {
            op: 'block',
            blocks: [
              blk({
                op: 'with',
                local: 0,
                path: [S.s('a'), S.s('b')],
                value: S.op('deep'),
                block: blk(
                  { op: 'dot', source: L(0), key: S.op('a'), target: 5 },
                  { op: 'array_append', array: 2, value: L(5) },
                  { op: 'break', index: 1 },
                ),
              }),
            ],
          },
          { op: 'call', func: 'g0.data.t.user', args: [L(0), L(1)], result: 6 },
          { op: 'array_append', array: 2, value: L(6) },
          { op: 'array_append', array: 2, value: L(0) },
        ),
      ],
      12,
      [helper],
    );
    assert.deepEqual(await run(policy, { user: 'alice' }), [{ result: ['alice', 'mallory', { b: 'deep' }, 'alice', { user: 'alice' }] }]);
  });

  test('functions with arguments and return', async () => {
    const S = new Strings();
    // f(x) = x + 1 (via return); r = f(input.n)
    const f: Func = {
      name: 'g0.data.t.f',
      path: ['t', 'f'],
      kind: 'function',
      params: [0, 1, 2],
      returnLocal: 3,
      localCount: 6,
      cacheable: false,
      blocks: [
        blk(
          { op: 'make_number_int', value: 1, target: 4 },
          { op: 'call', func: 'plus', builtin: true, args: [L(2), L(4)], result: 5 },
          { op: 'return', source: 5 },
        ),
      ],
    };
    const policy = single(
      S,
      [
        blk(
          { op: 'dot', source: L(0), key: S.op('n'), target: 3 },
          { op: 'call', func: 'g0.data.t.f', args: [L(0), L(1), L(3)], result: 4 },
          { op: 'assign_once', source: L(4), target: 2 },
        ),
      ],
      12,
      [f],
    );
    assert.deepEqual(await run(policy, { n: 41 }), [{ result: 42 }]);
    assert.deepEqual(await run(policy, { n: 'x' }), []);
  });

  test('object_merge is undefined on conflicts', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'dot', source: L(0), key: S.op('a'), target: 3 },
        { op: 'dot', source: L(0), key: S.op('b'), target: 4 },
        { op: 'object_merge', a: L(3), b: L(4), target: 2 },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ a: { x: { p: 1 } }, b: { x: { q: 2 }, y: 3 } }, 't/r'), [{ result: { x: { p: 1, q: 2 }, y: 3 } }]);
    assert.deepEqual(p.evaluate({ a: { x: 1 }, b: { x: 2 } }, 't/r'), []);
  });
});

describe('codegen: conflicts and caching', () => {
  test('assign_once with a different value aborts with eval_conflict_error and the location', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk({ op: 'dot', source: L(0), key: S.op('a'), target: 3 }, { op: 'assign_once', source: L(3), target: 2 }),
      blk(
        { op: 'dot', source: L(0), key: S.op('b'), target: 3 },
        { op: 'assign_once', source: L(3), target: 2, loc: { file: 'x.rego', line: 7, col: 3 } },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ a: 1, b: 1 }, 't/r'), [{ result: 1 }]);
    assert.throws(
      () => p.evaluate({ a: 1, b: 2 }, 't/r'),
      (e: unknown) => /^eval_conflict_error: complete rules must not produce multiple outputs/.test(String(e)) && String(e).includes('x.rego:7:3'),
    );
    // The instance stays usable after an abort.
    assert.deepEqual(p.evaluate({ a: 3 }, 't/r'), [{ result: 3 }]);
  });

  test('object_insert_once conflicts abort; equal values are fine', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'make_object', target: 2 },
        { op: 'dot', source: L(0), key: S.op('a'), target: 3 },
        { op: 'object_insert_once', object: 2, key: S.op('k'), value: L(3) },
        { op: 'dot', source: L(0), key: S.op('b'), target: 4 },
        { op: 'object_insert_once', object: 2, key: S.op('k'), value: L(4) },
      ),
    ]);
    const p = await loadIr(policy);
    assert.deepEqual(p.evaluate({ a: 1, b: 1 }, 't/r'), [{ result: { k: 1 } }]);
    assert.throws(() => p.evaluate({ a: 1, b: 2 }, 't/r'), /^eval_conflict_error: /);
  });

  test('cacheable rules are computed once per evaluation and recomputed for the next input', async () => {
    const S = new Strings();
    let calls = 0;
    const counted: Func = {
      name: 'g0.data.t.c',
      path: ['t', 'c'],
      kind: 'rule',
      params: [0, 1],
      returnLocal: 2,
      localCount: 4,
      cacheable: true,
      blocks: [
        blk(
          { op: 'dot', source: L(0), key: S.op('x'), target: 3 },
          { op: 'call', func: 'test.count_calls', builtin: true, args: [L(3)], result: 2 },
        ),
      ],
    };
    const body: Stmt[] = [{ op: 'make_array', capacity: 0, target: 2 }];
    for (let i = 0; i < 3; i++) {
      body.push({ op: 'call', func: 'g0.data.t.c', args: [L(0), L(1)], result: 3 }, { op: 'array_append', array: 2, value: L(3) });
    }
    const policy = single(S, [blk(...body)], 12, [counted]);
    const p = await loadIr(policy, undefined, { 'test.count_calls': (x: unknown) => `${x}:${++calls}` });
    assert.deepEqual(p.evaluate({ x: 'a' }, 't/r'), [{ result: ['a:1', 'a:1', 'a:1'] }]);
    assert.deepEqual(p.evaluate({ x: 'b' }, 't/r'), [{ result: ['b:2', 'b:2', 'b:2'] }]);
  });
});

describe('codegen: builtins and ABI tables', () => {
  test('runtime builtins are called in-module; host builtins go through opa_builtinN', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'make_array', capacity: 0, target: 2 },
        { op: 'dot', source: L(0), key: S.op('s'), target: 3 },
        { op: 'call', func: 'upper', builtin: true, args: [L(3)], result: 4 },
        { op: 'array_append', array: 2, value: L(4) },
        { op: 'call', func: 'regex.split', builtin: true, args: [S.op('<%v>'), L(3)], result: 5 },
        { op: 'array_append', array: 2, value: L(5) },
        { op: 'call', func: 'net.cidr_expand', builtin: true, args: [L(3)], result: 6 },
        { op: 'call', func: 'is_set', builtin: true, args: [L(6)], result: 7 },
        { op: 'array_append', array: 2, value: L(7) },
      ),
    ]);
    const wasm = await compileIr(policy);
    const mod = new WA.Module(wasm);
    const imports = WA.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort();
    for (const i of imports) assert.ok(/^env\.(memory|opa_abort|opa_println|opa_builtin[0-4])$/.test(i), i);
    const exports = WA.Module.exports(mod).map((e) => e.name);
    for (const e of ['opa_eval', 'entrypoints', 'builtins', 'opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'opa_heap_ptr_get', 'opa_json_dump']) {
      assert.ok(exports.includes(e), e);
    }
    assert.ok(!exports.includes('b_upper'));
    const p = await loadIr(policy, undefined, {
      'arbiter.regex.split': (fmt: string, v: unknown) => fmt.replace('%v', String(v)),
      'net.cidr_expand': (s: string) => s.split(''),
    });
    assert.deepEqual(p.evaluate({ s: 'abc' }, 't/r'), [{ result: ['ABC', '<abc>', true] }]);
  });

  test('several entrypoints dispatch by id and name', async () => {
    const S = new Strings();
    const mk = (name: string, v: string): Func => ({
      name,
      path: name.split('.').slice(2),
      kind: 'rule',
      params: [0, 1],
      returnLocal: 2,
      localCount: 3,
      cacheable: true,
      blocks: [blk({ op: 'assign_once', source: S.op(v), target: 2 })],
    });
    const policy: Policy = {
      strings: S.list,
      builtins: [],
      funcs: [mk('g0.data.a.x', 'first'), mk('g0.data.b.y', 'second')],
      plans: [rulePlan('a/x', 'g0.data.a.x', S), rulePlan('b/y', 'g0.data.b.y', S)],
    };
    const p = await loadIr(policy);
    assert.deepEqual(p.entrypoints, { 'a/x': 0, 'b/y': 1 });
    assert.deepEqual(p.evaluate(null, 'b/y'), [{ result: 'second' }]);
    assert.deepEqual(p.evaluate(null, 0), [{ result: 'first' }]);
  });

  test('data set with setData is visible and the heap is reset between evaluations', async () => {
    const S = new Strings();
    const policy = single(S, [
      blk(
        { op: 'dot', source: L(1), key: S.op('roles'), target: 3 },
        { op: 'dot', source: L(0), key: S.op('user'), target: 4 },
        { op: 'dot', source: L(3), key: L(4), target: 2 },
      ),
    ]);
    const p = await loadIr(policy, { roles: { alice: ['admin'], bob: [] } });
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 200; i++) assert.deepEqual(p.evaluate({ user: 'alice', pad: big }, 't/r'), [{ result: ['admin'] }]);
    const mem = (p as unknown as { mem: { buffer: ArrayBuffer } }).mem;
    assert.ok(mem.buffer.byteLength < 4 * 1024 * 1024, `memory grew to ${mem.buffer.byteLength}`);
    p.setData({ roles: { alice: ['viewer'] } });
    assert.deepEqual(p.evaluate({ user: 'alice' }, 't/r'), [{ result: ['viewer'] }]);
  });
});

describe('codegen: ABI 1.0 context functions', () => {
  test('eval(ctx) evaluates through opa_eval_ctx_* like older hosts do', async () => {
    const S = new Strings();
    const policy = single(S, [blk({ op: 'dot', source: L(0), key: S.op('v'), target: 2 })]);
    const wasm = await compileIr(policy);
    const memory = new WA.Memory({ initial: 5 });
    const inst = new WA.Instance(new WA.Module(wasm), {
      env: { memory, opa_abort: () => assert.fail('abort'), opa_println: () => undefined, opa_builtin0: () => 0, opa_builtin1: () => 0, opa_builtin2: () => 0, opa_builtin3: () => 0, opa_builtin4: () => 0 },
    });
    const x = inst.exports as Record<string, (...a: number[]) => number>;
    const put = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      const addr = x.opa_malloc(bytes.length);
      new Uint8Array(memory.buffer).set(bytes, addr);
      return x.opa_json_parse(addr, bytes.length);
    };
    const cstr = (addr: number) => {
      const b = new Uint8Array(memory.buffer);
      let e = addr;
      while (b[e]) e++;
      return new TextDecoder().decode(b.subarray(addr, e));
    };
    const ctx = x.opa_eval_ctx_new();
    x.opa_eval_ctx_set_input(ctx, put('{"v":[1,2]}'));
    x.opa_eval_ctx_set_data(ctx, put('{}'));
    x.opa_eval_ctx_set_entrypoint(ctx, 0);
    assert.equal(x.eval(ctx), 0);
    assert.equal(cstr(x.opa_json_dump(x.opa_eval_ctx_get_result(ctx))), '[{"result":[1,2]}]');
    assert.equal(cstr(x.opa_json_dump(x.entrypoints())), '{"t/r":0}');
    assert.equal(cstr(x.opa_json_dump(x.builtins())), '{}');
  });
});

describe('codegen: malformed IR', () => {
  test('is reported as a CodegenError, not a crash or an invalid module', async () => {
    const { CodegenError } = await import('./context');
    const S = new Strings();
    const bad: Array<[string, Policy]> = [
      ['local out of range', single(S, [blk({ op: 'assign', source: L(99), target: 2 })])],
      ['break too far', single(S, [blk({ op: 'break', index: 5 })])],
      ['unknown function', single(S, [blk({ op: 'call', func: 'nope', args: [L(0), L(1)], result: 2 })])],
      ['string index', single(S, [blk({ op: 'make_string', index: 9999, target: 2 })])],
      ['host builtin arity', single(S, [blk({ op: 'call', func: 'x.y', builtin: true, args: [L(0), L(0), L(0), L(0), L(0)], result: 2 })])],
    ];
    for (const [what, policy] of bad) {
      await assert.rejects(compileIr(policy), (e: unknown) => e instanceof CodegenError, what);
    }
  });
});
