// The Wasm runtime called directly: JSON, value order, heap, builtins.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RuntimeHarness, set } from './runtime-harness';

const rt = new RuntimeHarness();

describe('runtime JSON', () => {
  test('round trips scalars, numbers and strings', () => {
    const cases: Array<[string, string]> = [
      ['null', 'null'],
      ['true', 'true'],
      [' false ', 'false'],
      ['0', '0'],
      ['-12', '-12'],
      ['1.5', '1.5'],
      ['1.0', '1'],
      ['1e3', '1000'],
      ['0.1', '0.1'],
      ['1e-7', '1e-7'],
      ['-0.000123', '-0.000123'],
      ['9223372036854775807', '9223372036854775807'],
      ['-9223372036854775808', '-9223372036854775808'],
      ['123456789012345678901234567890', '123456789012345678901234567890'],
      ['"plain"', '"plain"'],
      ['""', '""'],
    ];
    for (const [input, want] of cases) assert.equal(rt.roundTrip(input), want, input);
  });

  test('floats print in shortest round-trip form', () => {
    for (const f of [0.1 + 0.2, 1 / 3, 2.5e-300, 1.7976931348623157e308, 123.456, -5e-324]) {
      const out = rt.roundTrip(JSON.stringify(f));
      assert.equal(Number(out), f, String(f));
    }
    // Random finite doubles across the whole exponent range (deterministic generator).
    const view = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let i = 0; i < 2000; i++) {
      view.setUint32(0, next());
      view.setUint32(4, next());
      const f = view.getFloat64(0);
      if (!Number.isFinite(f)) continue;
      assert.equal(Number(rt.roundTrip(JSON.stringify(f))), f, String(f));
      rt.exports.opa_heap_ptr_set(rt.exports.opa_heap_ptr_get());
    }
  });

  test('decodes escapes and surrogate pairs to UTF-8 and escapes control characters on output', () => {
    const s = 'héllo "q" \\ / \n\t\r\b\f \u0001 é 😀 日本';
    assert.equal(JSON.parse(rt.roundTrip(JSON.stringify(s))!), s);
    assert.equal(JSON.parse(rt.roundTrip('"\\ud83d\\ude00\\u00e9"')!), '😀é');
    assert.equal(JSON.parse(rt.roundTrip('"\\ud800x"')!), '\ufffdx');
  });

  test('objects come out in sorted key order; duplicate keys keep the last value', () => {
    assert.equal(rt.roundTrip('{"b":1,"a":{"z":1,"y":[1,2]},"c":null}'), '{"a":{"y":[1,2],"z":1},"b":1,"c":null}');
    assert.equal(rt.roundTrip('{"a":1,"a":2}'), '{"a":2}');
    const big: Record<string, number> = {};
    for (let i = 0; i < 300; i++) big[`k${(i * 7919) % 300}`] = i;
    const out = JSON.parse(rt.roundTrip(JSON.stringify(big))!);
    assert.deepEqual(Object.keys(out), Object.keys(big).sort());
    assert.deepEqual(out, big);
  });

  test('rejects malformed JSON', () => {
    for (const bad of ['', '{', '[1,]', '{"a"}', 'tru', '01', '1.', '"\u0001"', '[1 2]', '"abc', 'nul', '{"a":1}x']) {
      assert.equal(rt.parse(bad), 0, bad);
    }
  });

  test('sets dump as arrays in JSON and with braces in Rego syntax; non-string keys are stringified', () => {
    const s = rt.set([3, 'a', 1, 1]);
    assert.equal(rt.dump(s), '[1,3,"a"]');
    assert.equal(rt.dumpRego(s), '{1, 3, "a"}');
    assert.equal(rt.dumpRego(rt.set([])), 'set()');
    const o = rt.exports.rt_make_object();
    rt.exports.rt_object_insert(o, rt.value(1), rt.value('one'));
    rt.exports.rt_object_insert(o, rt.value([1, 2]), rt.value('pair'));
    assert.equal(rt.dump(o), '{"1":"one","[1,2]":"pair"}');
  });
});

describe('runtime values', () => {
  test('compare follows OPA type order and value order', () => {
    const ordered = [null, false, true, -1, 0, 1.5, 2, '', 'a', 'b', [], [1], [1, 2], {}, { a: 1 }, { b: 0 }];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const c = rt.exports.rt_compare(rt.value(ordered[i]), rt.value(ordered[j]));
        assert.equal(Math.sign(c), Math.sign(i - j), `${JSON.stringify(ordered[i])} vs ${JSON.stringify(ordered[j])}`);
      }
    }
    assert.equal(rt.exports.rt_compare(rt.set([]), rt.value({ z: 1 })), 1);
  });

  test('1.0 equals 1 and big integers compare exactly', () => {
    assert.equal(rt.exports.rt_equal(rt.value(1), rt.parse('1.0')), 1);
    assert.equal(rt.exports.rt_equal(rt.parse('100000000000000000001'), rt.parse('100000000000000000000')), 0);
    assert.equal(rt.exports.rt_compare(rt.parse('100000000000000000001'), rt.parse('100000000000000000000')), 1);
    assert.equal(rt.exports.rt_compare(rt.parse('-100000000000000000001'), rt.parse('-100000000000000000000')), -1);
  });

  test('the heap pointer can be reset and memory grows on demand', () => {
    const before = rt.exports.opa_heap_ptr_get();
    const big = JSON.stringify(Array.from({ length: 50000 }, (_, i) => ({ i, s: `value-${i}` })));
    const v = rt.parse(big);
    assert.ok(v > 0);
    assert.ok(rt.exports.opa_heap_ptr_get() > before + big.length);
    assert.equal(rt.dump(v), big);
    rt.exports.opa_heap_ptr_set(before);
    assert.equal(rt.exports.opa_heap_ptr_get(), before);
    assert.equal(rt.roundTrip('[1]'), '[1]');
  });

  test('add_path and remove_path edit an object in place', () => {
    const o = rt.value({ a: { b: 1 } });
    assert.equal(rt.exports.opa_value_add_path(o, rt.value(['a', 'c']), rt.value(2)), 0);
    assert.equal(rt.exports.opa_value_add_path(o, rt.value(['x', 'y']), rt.value(3)), 0);
    assert.equal(rt.dump(o), '{"a":{"b":1,"c":2},"x":{"y":3}}');
    assert.equal(rt.exports.opa_value_remove_path(o, rt.value(['a', 'b'])), 0);
    assert.equal(rt.dump(o), '{"a":{"c":2},"x":{"y":3}}');
  });
});

describe('runtime builtins', () => {
  test('arithmetic is exact on integers and undefined on errors', () => {
    assert.equal(rt.call('plus', 1, 2), 3);
    assert.equal(rt.call('plus', 0.1, 0.2), 0.1 + 0.2);
    assert.equal(rt.call('minus', 10, 2.5), 7.5);
    assert.equal(rt.call('mul', 6, 7), 42);
    assert.equal(rt.call('div', 7, 2), 3.5);
    assert.equal(rt.call('div', 8, 2), 4);
    assert.equal(rt.call('div', 1, 0), undefined);
    assert.equal(rt.call('rem', 7, 3), 1);
    assert.equal(rt.call('rem', -7, 3), -1);
    assert.equal(rt.call('rem', 7, 0), undefined);
    assert.equal(rt.call('plus', 1, 'a'), undefined);
    assert.equal(rt.call('abs', -3), 3);
    assert.equal(rt.call('round', 2.5), 3);
    assert.equal(rt.call('round', -2.5), -3);
    assert.equal(rt.call('ceil', 1.2), 2);
    assert.equal(rt.call('floor', -1.2), -2);
  });

  test('integer arithmetic stays exact beyond 64 bits', () => {
    const samples = ['0', '1', '-1', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '3037000500', '-123456789012345678901234567890', '99999999999999999999', '1000000000', '-999999999'];
    const ops: Array<[string, (a: bigint, b: bigint) => bigint]> = [
      ['plus', (a, b) => a + b],
      ['minus', (a, b) => a - b],
      ['mul', (a, b) => a * b],
    ];
    for (const x of samples) {
      for (const y of samples) {
        for (const [name, f] of ops) {
          const r = rt.exports['b_' + name](rt.parse(x), rt.parse(y));
          assert.equal(rt.dump(r), f(BigInt(x), BigInt(y)).toString(), `${name}(${x}, ${y})`);
        }
      }
    }
    assert.equal(rt.dump(rt.exports.b_abs(rt.parse('-99999999999999999999'))), '99999999999999999999');
    assert.equal(rt.dump(rt.exports.b_plus(rt.parse('99999999999999999999'), rt.parse('0.5'))), '100000000000000000000');
  });

  test('comparison and set operators', () => {
    assert.equal(rt.call('lt', 1, 2), true);
    assert.equal(rt.call('gte', 'b', 'a'), true);
    assert.equal(rt.call('equal', 1, 1.0), true);
    assert.equal(rt.call('neq', [1], [1]), false);
    assert.equal(rt.callRego('minus', set(1, 2, 3), set(2)), '{1, 3}');
    assert.equal(rt.callRego('and', set(1, 2, 3), set(2, 3, 4)), '{2, 3}');
    assert.equal(rt.callRego('or', set(1, 5), set(2)), '{1, 2, 5}');
  });

  test('membership', () => {
    assert.equal(rt.call('internal.member_2', 2, [1, 2]), true);
    assert.equal(rt.call('internal.member_2', 3, set(1, 2)), false);
    assert.equal(rt.call('internal.member_2', 'v', { k: 'v' }), true);
    assert.equal(rt.call('internal.member_3', 1, 'b', ['a', 'b']), true);
    assert.equal(rt.call('internal.member_3', 'k', 'x', { k: 'v' }), false);
  });

  test('aggregates', () => {
    assert.equal(rt.call('count', [1, 2, 3]), 3);
    assert.equal(rt.call('count', 'héllo'), 5);
    assert.equal(rt.call('count', { a: 1 }), 1);
    assert.equal(rt.call('count', 1), undefined);
    assert.equal(rt.call('sum', [1, 2, 3.5]), 6.5);
    assert.equal(rt.call('product', set(2, 3)), 6);
    assert.equal(rt.call('max', [1, 9, 3]), 9);
    assert.equal(rt.call('min', set('b', 'a')), 'a');
    assert.equal(rt.call('max', []), undefined);
    assert.deepEqual(rt.call('sort', [3, 'a', 1, null]), [null, 1, 3, 'a']);
  });

  test('strings', () => {
    assert.equal(rt.call('concat', ', ', ['a', 'b', 'c']), 'a, b, c');
    assert.equal(rt.call('concat', '-', set('b', 'a')), 'a-b');
    assert.equal(rt.call('contains', 'hello', 'ell'), true);
    assert.equal(rt.call('startswith', 'hello', 'he'), true);
    assert.equal(rt.call('endswith', 'hello', 'lo'), true);
    assert.equal(rt.call('endswith', 'lo', 'hello'), false);
    assert.equal(rt.call('lower', 'HeLLo'), 'hello');
    assert.equal(rt.call('upper', 'HeLLo'), 'HELLO');
    for (const w of ['Ünïcödé Straße', 'ΑΒΓ αβγ', 'Привет ЁЖ', 'Łódź Ĳ', 'x😀y日本']) {
      assert.equal(rt.call('lower', w), w.toLowerCase(), w);
      if (!w.includes('ß')) assert.equal(rt.call('upper', w), w.toUpperCase(), w);
    }
    assert.deepEqual(rt.call('split', 'a,b,,c', ','), ['a', 'b', '', 'c']);
    assert.deepEqual(rt.call('split', 'hé', ''), ['h', 'é']);
    assert.equal(rt.call('trim', '  xx  ', ' '), 'xx');
    assert.equal(rt.call('trim_left', 'aabca', 'a'), 'bca');
    assert.equal(rt.call('trim_right', 'aabca', 'a'), 'aabc');
    assert.equal(rt.call('trim_prefix', 'prefix_x', 'prefix_'), 'x');
    assert.equal(rt.call('trim_suffix', 'x.rego', '.rego'), 'x');
    assert.equal(rt.call('trim_space', ' \t x y \n'), 'x y');
    assert.equal(rt.call('indexof', 'héllo', 'l'), 2);
    assert.equal(rt.call('indexof', 'hello', 'z'), -1);
    assert.equal(rt.call('substring', 'héllo', 1, 3), 'éll');
    assert.equal(rt.call('substring', 'hello', 2, -1), 'llo');
    assert.equal(rt.call('substring', 'hello', 9, 2), '');
    assert.equal(rt.call('replace', 'a-b-c', '-', '+'), 'a+b+c');
    assert.equal(rt.call('to_number', '42'), 42);
    assert.equal(rt.call('to_number', '-1.5'), -1.5);
    assert.equal(rt.call('to_number', true), 1);
    assert.equal(rt.call('to_number', 'x'), undefined);
  });

  test('types', () => {
    assert.equal(rt.call('is_number', 1), true);
    assert.equal(rt.call('is_string', 1), false);
    assert.equal(rt.call('is_boolean', false), true);
    assert.equal(rt.call('is_array', []), true);
    assert.equal(rt.call('is_set', set()), true);
    assert.equal(rt.call('is_object', {}), true);
    assert.equal(rt.call('is_null', null), true);
    const names = [null, true, 1, 's', [], {}].map((v) => rt.call('type_name', v));
    assert.deepEqual(names, ['null', 'boolean', 'number', 'string', 'array', 'object']);
    assert.equal(rt.call('type_name', set()), 'set');
  });

  test('arrays and objects', () => {
    assert.deepEqual(rt.call('array.concat', [1], [2, 3]), [1, 2, 3]);
    assert.deepEqual(rt.call('array.slice', [1, 2, 3, 4], 1, 3), [2, 3]);
    assert.deepEqual(rt.call('array.slice', [1, 2, 3], 2, 10), [3]);
    assert.deepEqual(rt.call('array.reverse', [1, 2, 3]), [3, 2, 1]);
    assert.equal(rt.call('object.get', { a: { b: 1 } }, ['a', 'b'], 0), 1);
    assert.equal(rt.call('object.get', { a: 1 }, 'z', 'dflt'), 'dflt');
    assert.equal(rt.callRego('object.keys', { b: 1, a: 2 }), '{"a", "b"}');
    assert.deepEqual(rt.call('object.union', { a: { x: 1 }, b: 1 }, { a: { y: 2 }, b: 2 }), { a: { x: 1, y: 2 }, b: 2 });
    assert.deepEqual(rt.call('object.remove', { a: 1, b: 2, c: 3 }, ['a', 'c']), { b: 2 });
    assert.deepEqual(rt.call('object.remove', { a: 1, b: 2 }, set('b')), { a: 1 });
    assert.equal(rt.callRego('union', set(rt.set([1]) as unknown, rt.set([2]) as unknown)), undefined);
  });

  test('print formats its operands and calls opa_println', () => {
    const arg = rt.exports.rt_make_array(3);
    rt.exports.rt_array_append(arg, rt.set(['hi']));
    rt.exports.rt_array_append(arg, rt.set([{ a: 1 }]));
    rt.exports.rt_array_append(arg, rt.set([]));
    assert.ok(rt.exports.b_internal_print(arg));
    assert.equal(rt.printed.at(-1), 'hi {"a": 1} <undefined>');
  });
});

describe('runtime builtin coverage', () => {
  test("every catalog builtin marked 'runtime' is exported by the runtime with the catalog's arity", async () => {
    const { BUILTINS } = await import('../builtins/catalog');
    const { runtimeWasm } = await import('./runtime-wasm');
    const { runtimeBuiltinExport } = await import('./context');
    const arities = runtimeWasm().exports;
    for (const decl of BUILTINS.values()) {
      if (decl.impl !== 'runtime') continue;
      assert.equal(arities.get(runtimeBuiltinExport(decl.name)), decl.args.length, decl.name);
    }
  });
});
