// Runtime pieces behind the generated code's fast paths, called directly: hinted field lookup,
// the membership and byte tests fused code calls, static small integers, in-place inserts and
// the exact-size concat.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RuntimeHarness, set } from './runtime-harness';

const rt = new RuntimeHarness();
const x = rt.exports;

/** A fresh zeroed u32 on the heap (a field access site's hint). */
function hintWord(): number {
  const p = x.opa_malloc(4);
  new DataView(rt.memory.buffer).setUint32(p, 0, true);
  return p;
}
const hintOf = (p: number) => new DataView(rt.memory.buffer).getUint32(p, true);

describe('runtime fast paths', () => {
  test('rt_dot_at: finds keys through the hint, moves the hint, misses cleanly', () => {
    const hint = hintWord();
    const objs = [{ a: 1, tool: 2, z: 3 }, { tool: 'first' }, { b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0, i: 0, j: 0, tool: 'big' }, { toolx: 1, too: 2 }];
    const key = rt.value('tool');
    const got = objs.map((o) => {
      const v = x.rt_dot_at(rt.value(o), key, hint);
      return v ? JSON.parse(rt.dump(v)) : undefined;
    });
    assert.deepEqual(got, [2, 'first', 'big', undefined]);
    // The last hit (index 9 of the big object) is remembered; a miss leaves the hint alone.
    assert.equal(hintOf(hint), 9);
    // Same shape again: found at the hinted entry.
    assert.equal(rt.dump(x.rt_dot_at(rt.value({ b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1, tool: 'again' }), key, hint)), '"again"');
    // A hint beyond a smaller object, and sources that are not objects.
    assert.equal(rt.dump(x.rt_dot_at(rt.value({ tool: 1 }), key, hint)), '1');
    assert.equal(rt.dump(x.rt_dot_at(rt.value(['a', 'b']), rt.value(1), hint)), '"b"');
    assert.equal(rt.dump(x.rt_dot_at(rt.set(['tool']), key, hint)), '"tool"');
    assert.equal(x.rt_dot_at(rt.value('tool'), key, hint), 0);
    assert.equal(x.rt_dot_at(0, key, hint), 0);
    // A non-string key in an object goes through the general search.
    assert.equal(x.rt_dot_at(rt.value({ tool: 1 }), rt.value(1), hint), 0);
  });

  test('rt_member and rt_same_bytes answer 1 or 0', () => {
    assert.equal(x.rt_member(rt.value('a'), rt.set(['a', 'b'])), 1);
    assert.equal(x.rt_member(rt.value('c'), rt.set(['a', 'b'])), 0);
    assert.equal(x.rt_member(rt.value(2), rt.value([1, 2])), 1);
    assert.equal(x.rt_member(rt.value(2), rt.value({ k: 2 })), 1);
    assert.equal(x.rt_member(rt.value(2), rt.value('2')), 0);
    assert.equal(x.rt_member(0, rt.value([1])), 0);
    assert.equal(x.rt_same_bytes(rt.value('abcdefghij'), rt.value('abcdefghij')), 1);
    assert.equal(x.rt_same_bytes(rt.value('abcdefghij'), rt.value('abcdefghiJ')), 0);
  });

  test('small integers are static values; others are allocated; all print and compare alike', () => {
    assert.equal(x.rt_make_int(BigInt(7) as unknown as number), x.rt_make_int(BigInt(7) as unknown as number));
    assert.notEqual(x.rt_make_int(BigInt(256) as unknown as number), x.rt_make_int(BigInt(256) as unknown as number));
    for (const n of [0, 1, 255, 256, -1, 1000]) assert.equal(rt.dump(x.rt_make_int(BigInt(n) as unknown as number)), String(n));
    assert.equal(rt.roundTrip('[0,1,255,256,-1,-0,00]'), undefined);
    assert.equal(rt.roundTrip('[0,1,255,256,-1,-0]'), '[0,1,255,256,-1,0]');
    assert.equal(x.rt_equal(rt.parse('255'), rt.parse('255.0')), 1);
    assert.deepEqual(rt.call('count', [1, 2, 3]), 3);
  });

  test('sets and objects built out of order (inserts shift the tail in place)', () => {
    const s = x.rt_make_set();
    for (let i = 40; i > 0; i--) x.rt_set_add(s, rt.value(`k${String(i).padStart(2, '0')}`));
    x.rt_set_add(s, rt.value('k20'));
    assert.equal(rt.dump(s), JSON.stringify(Array.from({ length: 40 }, (_, i) => `k${String(i + 1).padStart(2, '0')}`)));
    const o = x.rt_make_object();
    for (const k of ['m', 'c', 'x', 'a', 'b', 'z', 'c']) x.rt_object_insert(o, rt.value(k), rt.value(k.toUpperCase()));
    assert.equal(rt.dump(o), '{"a":"A","b":"B","c":"C","m":"M","x":"X","z":"Z"}');
  });

  test('concat: exact results for short and long parts, type errors as before', () => {
    assert.equal(rt.call('concat', '/', ['github', 'get_issue']), 'github/get_issue');
    assert.equal(rt.call('concat', '', []), '');
    assert.equal(rt.call('concat', ', ', ['a']), 'a');
    assert.equal(rt.call('concat', '-', set('b', 'a')), 'a-b');
    const long = 'é'.repeat(50);
    assert.equal(rt.call('concat', long, [long, 'x', long]), `${long}${long}x${long}${long}`);
    assert.equal(rt.call('concat', '/', ['a', 1]), undefined);
    assert.equal(rt.call('concat', 1, ['a']), undefined);
  });
});
