import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeOneByteString, safeString, toJsonSafe } from './json-safe';
import { isTwoByte, twoByteLatin1 } from './testing/string-form';

describe('toJsonSafe', () => {
  it('matches JSON semantics and fixes what databases refuse', () => {
    const out = toJsonSafe({ a: [undefined, () => 1, 1n, Infinity], b: undefined, 'k\u0000': 'v\uDC00', d: new Date(0) });
    assert.deepEqual(out, { a: [null, null, 1, null], 'k\uFFFD': 'v\uFFFD', d: '1970-01-01T00:00:00.000Z' });
    assert.equal(safeString('ok 😀'), 'ok 😀');
  });

  it('rejects cycles and absurd depth but accepts shared references', () => {
    const shared = { x: 1 };
    assert.deepEqual(toJsonSafe({ a: shared, b: shared }), { a: { x: 1 }, b: { x: 1 } });
    const cyc: Record<string, unknown> = {};
    cyc.me = { back: cyc };
    assert.throws(() => toJsonSafe(cyc), /circular/);
    let deep: unknown = 0;
    for (let i = 0; i < 500; i++) deep = [deep];
    assert.throws(() => toJsonSafe(deep), /deeper/);
  });
});

describe('toJsonSafe of an object (values copied in line, nested ones walked)', () => {
  it('gives what the generic walk gives', () => {
    const sym = Symbol('s');
    const flat = { now_ns: '1795336012892000000', fuel: 1_000_000, ok: true, none: null, nan: NaN, big: 5n, u: undefined, f: () => 1, s: sym, 'k\u0000': 'v\uD800' };
    assert.deepEqual(toJsonSafe(flat), { now_ns: '1795336012892000000', fuel: 1_000_000, ok: true, none: null, nan: null, big: 5, 'k\uFFFD': 'v\uFFFD' });
    assert.deepEqual(toJsonSafe({ a: { toJSON: () => undefined }, b: { toJSON: () => 'x' }, c: [1, undefined] }), { b: 'x', c: [1, null] });
    assert.deepEqual(toJsonSafe({ toJSON: (key: string) => ({ key, d: new Date(0) }) }), { key: '', d: '1970-01-01T00:00:00.000Z' });
    assert.equal(Object.getPrototypeOf(toJsonSafe(Object.create(null, { x: { value: 1, enumerable: true } }))), Object.prototype);
  });

  it('reports the path of a cycle or of too deep a nesting', () => {
    const top: Record<string, unknown> = { x: 1 };
    top.inner = { list: [top] };
    assert.throws(() => toJsonSafe(top, 'pinned'), (e: Error) => e.message === 'pinned.inner.list[0]: circular reference');
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 250; i++) deep = { d: deep };
    assert.throws(() => toJsonSafe(deep), /nested deeper than 200/);
    let ok: Record<string, unknown> = {};
    for (let i = 0; i < 199; i++) ok = { d: ok };
    assert.doesNotThrow(() => toJsonSafe(ok));
    const shared = { y: 2 };
    assert.deepEqual(toJsonSafe({ a: shared, b: shared }), { a: { y: 2 }, b: { y: 2 } });
  });
});

describe('safeOneByteString', () => {
  it('returns the same text in the one-byte form when its characters allow it', () => {
    for (const text of ['toxic_flow', 'a reason message with spaces and caf\u00e9', 'x'.repeat(300)]) {
      const out = safeOneByteString(twoByteLatin1(text));
      assert.equal(out, text);
      assert.equal(isTwoByte(out), false);
      assert.equal(safeOneByteString(twoByteLatin1(text)), text); // cached (or, when long, copied again)
    }
  });

  it('keeps text that needs two bytes per character as it is', () => {
    for (const text of ['fl\u00e8che \u2192', 'emoji \u{1F600}', '\uFFFD']) {
      assert.equal(safeOneByteString(text), text);
      assert.equal(safeOneByteString(text), text);
    }
    assert.equal(safeOneByteString(''), '');
  });

  it('replaces what safeString replaces, cached or not', () => {
    for (const text of ['nul\u0000', 'lone \uD800', 'x'.repeat(300) + '\u0000']) {
      assert.equal(safeOneByteString(text), safeString(text));
      assert.equal(safeOneByteString(text), safeString(text));
    }
    assert.equal(isTwoByte(safeOneByteString(twoByteLatin1('a\u0000b'))), true, 'U+FFFD needs two bytes');
  });
});
