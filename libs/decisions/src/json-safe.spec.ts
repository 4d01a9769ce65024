import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeString, toJsonSafe } from './json-safe';

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
