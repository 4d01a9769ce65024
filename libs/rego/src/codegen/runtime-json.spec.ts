// The runtime's JSON parser (runtime/assembly/json-parse.ts) against JSON.parse: generated
// documents, number edge cases, escapes, nesting limits, and inputs larger than its static
// scratch space.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RuntimeHarness } from './runtime-harness';

const rt = new RuntimeHarness();
const heap = rt.exports.opa_heap_ptr_get();

/** Parses and dumps in a fresh heap; undefined when the runtime rejects the text. */
function roundTrip(text: string): string | undefined {
  rt.exports.opa_heap_ptr_set(heap);
  return rt.roundTrip(text);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort(byUtf8)) o[k] = sortDeep((v as Record<string, unknown>)[k]);
  return o;
}

/** The runtime orders keys by UTF-8 bytes; JS sort() by UTF-16 units. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** What the runtime should print for a document (keys sorted, compact). */
function expected(text: string): string {
  return stringifySorted(JSON.parse(text));
}

function stringifySorted(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stringifySorted).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort(byUtf8).map((k) => `${JSON.stringify(k)}:${stringifySorted(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// Deterministic generator of JSON values with awkward strings and numbers.
function generator(seed: number) {
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const pick = <T>(xs: T[]): T => xs[next() % xs.length];
  const pieces = ['a', 'key', 'é', '日本', '😀', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', ' ', 'x'.repeat(9), '\u2028', '\ud7ff', '\ue000'];
  const str = () => Array.from({ length: next() % 6 }, () => pick(pieces)).join('');
  const num = () =>
    pick([0, -1, 7, 255, 256, -256, 1e3, 123456789, -987654321012, 2 ** 53 - 1, -(2 ** 53 - 1), 0.5, -2.25, 1e-7, 3.14159, 1.5e300, -4.9e-324]);
  const value = (depth: number): unknown => {
    const k = next() % (depth > 4 ? 5 : 8);
    if (k === 0) return null;
    if (k === 1) return next() % 2 === 0;
    if (k === 2) return num();
    if (k === 3 || k === 4) return str();
    if (k === 5) return Array.from({ length: next() % 6 }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = next() % 7; i > 0; i--) o[str()] = value(depth + 1);
    return o;
  };
  return value;
}

describe('runtime JSON parser', () => {
  test('matches JSON.parse on generated documents, sorted or not, compact or spaced', () => {
    const value = generator(42);
    for (let i = 0; i < 400; i++) {
      const v = value(0);
      for (const text of [JSON.stringify(v), JSON.stringify(sortDeep(v)), JSON.stringify(v, null, i % 3 === 0 ? '\t' : 2)]) {
        assert.equal(roundTrip(text), expected(text), text);
      }
    }
  });

  test('integers: the i64 fast path, its limits and the big-integer path', () => {
    const cases: Array<[string, string]> = [
      ['1700000000000000000', '1700000000000000000'],
      ['999999999999999999', '999999999999999999'],
      ['9223372036854775807', '9223372036854775807'],
      ['-9223372036854775808', '-9223372036854775808'],
      ['9223372036854775808', '9223372036854775808'],
      ['-9223372036854775809', '-9223372036854775809'],
      ['9999999999999999999', '9999999999999999999'],
      ['18446744073709551616', '18446744073709551616'],
      ['-0', '0'],
      ['0', '0'],
      ['-7', '-7'],
      ['1E2', '100'],
      ['10e-1', '1'],
      ['[1,-2,30,400]', '[1,-2,30,400]'],
    ];
    for (const [input, want] of cases) assert.equal(roundTrip(input), want, input);
    // Beyond i64 the value keeps its exact text and compares exactly.
    assert.equal(rt.exports.rt_compare(rt.parse('9223372036854775809'), rt.parse('9223372036854775808')), 1);
    // i64 limits are plain integers (kind 0), one past them big integers (kind 2).
    const kind = (text: string) => new DataView(rt.memory.buffer).getUint32(rt.parse(text) + 4, true);
    assert.deepEqual(['9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '1700000000000000000'].map(kind), [0, 0, 2, 2, 0]);
    assert.equal(rt.exports.rt_equal(rt.parse('1700000000000000000'), rt.parse('1.7e18')), 1);
  });

  test('escapes, surrogates and multi-byte text; control characters are rejected raw', () => {
    const s = 'q"b\\s/n\nt\tr\rb\bf\f\u0000\u001f é日本😀 end';
    assert.equal(JSON.parse(roundTrip(JSON.stringify(s))!), s);
    assert.equal(JSON.parse(roundTrip('"\\u0041\\u00e9\\u65e5\\ud83d\\ude00"')!), 'Aé日😀');
    assert.equal(JSON.parse(roundTrip('"\\udc00"')!), '\ufffd');
    assert.equal(JSON.parse(roundTrip('"\\ud83dx"')!), '\ufffdx');
    assert.equal(JSON.parse(roundTrip('"\\ud83d\\u0041"')!), '\ufffdA');
    assert.equal(JSON.parse(roundTrip('"\\/"')!), '/');
    // Quotes and backslashes at every offset of an 8-byte block.
    for (let i = 0; i < 20; i++) {
      for (const c of ['"', '\\', '\n', 'é']) {
        const t = 'x'.repeat(i) + c + 'y'.repeat(20 - i);
        assert.equal(JSON.parse(roundTrip(JSON.stringify(t))!), t, JSON.stringify(t));
      }
    }
    // Escaped object keys sort by their decoded bytes.
    assert.equal(roundTrip('{"\\u0062":1,"a":2,"\\n":3}'), '{"\\n":3,"a":2,"b":1}');
    for (const bad of ['"\\x"', '"\\u12"', '"\\u12g4"', '"a\u0001"', '"\t"', '"abc', '"\\"', '"\\u"']) {
      assert.equal(roundTrip(bad), undefined, JSON.stringify(bad));
    }
  });

  test('objects: sorted keys are kept, unsorted ones sorted, duplicates keep the last value', () => {
    assert.equal(roundTrip('{"a":1,"b":2,"c":3}'), '{"a":1,"b":2,"c":3}');
    assert.equal(roundTrip('{"c":1,"b":2,"a":3}'), '{"a":3,"b":2,"c":1}');
    assert.equal(roundTrip('{"a":1,"b":2,"a":3}'), '{"a":3,"b":2}');
    assert.equal(roundTrip('{"a":1,"a":2,"a":3}'), '{"a":3}');
    assert.equal(roundTrip('{"ab":1,"a":2,"abc":3,"":4}'), '{"":4,"a":2,"ab":1,"abc":3}');
    assert.equal(roundTrip('{"x":{"b":1,"a":2},"w":[{"d":1,"c":2}]}'), '{"w":[{"c":2,"d":1}],"x":{"a":2,"b":1}}');
    // Lookups work on what the parser built (sorted entries, exact capacity).
    const o = rt.parse('{"time":1,"tool":2,"step":3,"decision":4,"reasons":5,"time_ns":6,"a":7,"b":8,"c":9}');
    for (const [k, want] of [['time', '1'], ['tool', '2'], ['time_ns', '6'], ['c', '9']]) {
      assert.equal(rt.dump(rt.exports.rt_dot(o, rt.parse(JSON.stringify(k)))), want, k);
    }
    assert.equal(rt.exports.rt_dot(o, rt.parse('"tim"')), 0);
    assert.equal(rt.exports.rt_dot(o, rt.parse('""')), 0);
    // Objects from the parser still grow in place.
    rt.exports.rt_object_insert(o, rt.parse('"zz"'), rt.parse('10'));
    assert.equal(rt.dump(rt.exports.rt_dot(o, rt.parse('"zz"'))), '10');
  });

  test('field lookups find every key and miss near-misses, in small and large objects', () => {
    const keys = ['', 'a', 'b', 'ab', 'abc', 'abd', 'abcd', 'abce', 'abcde', 'abcdf', 'abcdefgh', 'abcdefgi', 'é', 'éa', 'tool', 'time', 'time_ns'];
    const misses = ['c', 'abcc', 'abcdeg', 'abcdefg', 'abcdefghi', 'ti', 'toolx', 'e', 'éb', 'aa'];
    for (const size of [1, 3, 8, 9, keys.length]) {
      for (let shift = 0; shift < keys.length; shift += 5) {
        rt.exports.opa_heap_ptr_set(heap);
        const chosen = Array.from({ length: size }, (_, i) => keys[(i + shift) % keys.length]);
        const o = rt.value(Object.fromEntries(chosen.map((k, i) => [k, i])));
        for (const k of keys) {
          const got = rt.exports.rt_dot(o, rt.value(k));
          const want = chosen.indexOf(k);
          assert.equal(got === 0 ? -1 : Number(rt.dump(got)), want, `${size}/${shift}: ${JSON.stringify(k)}`);
        }
        for (const k of misses) assert.equal(rt.exports.rt_dot(o, rt.value(k)), 0, k);
        // Non-string keys sort before strings and are found through the general path.
        assert.equal(rt.exports.rt_dot(o, rt.value(1)), 0);
      }
    }
  });

  test('containers of every small size keep all their children (entries are moved 8 bytes at a time)', () => {
    for (let n = 0; n <= 9; n++) {
      const arr = JSON.stringify(Array.from({ length: n }, (_, i) => (i % 2 ? `s${i}` : i + 1000)));
      assert.equal(roundTrip(arr), arr, `array of ${n}`);
      const obj = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, [i, { v: i }]])));
      assert.equal(roundTrip(obj), expected(obj), `object of ${n}`);
      // Children of a nested container sit above the parent's pending slots.
      const nested = JSON.stringify([1, { a: Array.from({ length: n }, (_, i) => i), b: 2 }, [n], 3]);
      assert.equal(roundTrip(nested), expected(nested), `nested ${n}`);
    }
  });

  test('collections beyond the static scratch space, and again after a heap reset', () => {
    const arr = Array.from({ length: 30000 }, (_, i) => (i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : [i]));
    const obj: Record<string, number> = {};
    for (let i = 0; i < 12000; i++) obj[`k${(i * 7919) % 12000}`] = i;
    for (let round = 0; round < 2; round++) {
      const a = JSON.stringify(arr);
      assert.equal(roundTrip(a), a);
      const o = JSON.stringify(obj);
      assert.equal(roundTrip(o), expected(o));
      const nested = JSON.stringify({ outer: arr.slice(0, 9000), more: obj });
      assert.equal(roundTrip(nested), expected(nested));
    }
  });

  test('nesting up to 1000 levels parses; deeper input fails cleanly', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    assert.equal(roundTrip(deep(1000)), deep(1000));
    assert.equal(roundTrip(deep(1001)), undefined);
    assert.equal(roundTrip('['.repeat(200000)), undefined);
    const objs = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    assert.equal(roundTrip(objs(1000)), objs(1000));
    assert.equal(roundTrip(objs(1001)), undefined);
  });

  test('rejects malformed JSON', () => {
    const bad = [
      '', ' ', '{', '}', '[', ']', '[1,]', '[,1]', '{"a":1,}', '{"a"}', '{"a" 1}', '{a:1}', '{"a":1 "b":2}', '[1 2]',
      'tru', 'truee', 'nul', 'fals', 'True', '-', '+1', '.5', '1.', '1e', '1e+', '01', '-01', '00', '1 2', '"a" "b"',
      '{"a":1}x', '[1]]', '[[1]', '{"a":[1}', '[1}', '{"a":1]', '\u00a0 1', 'nan', 'Infinity', '[-]', '"\\u00"',
    ];
    for (const text of bad) assert.equal(roundTrip(text), undefined, JSON.stringify(text));
  });

  test('whitespace anywhere between tokens', () => {
    const text = ' \t\n\r{ "b" :\n[ 1 , 2\t,\r"x" ] ,\t"a" : { } , "c" : [ ] , "d" : null , "e" : true , "f" : false } \n';
    assert.equal(roundTrip(text), expected(text));
  });
});
