import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonText, sanitizeJsonText } from './json-text';
import { toJsonSafe } from './json-safe';

describe('sanitizeJsonText', () => {
  it('replaces NUL and lone-surrogate escapes exactly as toJsonSafe does to the value', () => {
    const values = [
      { a: 'x\u0000y', b: '\uD800', c: '\uDC00z', d: '\uD83D\uDE00', e: 'back\\u0000slash', f: ['\\', '\u0000\u0000'] },
      'plain',
      { nested: { k: '\uDBFF\uDBFF\uDFFF' } },
    ];
    for (const v of values) {
      const text = sanitizeJsonText(JSON.stringify(v));
      assert.deepEqual(JSON.parse(text), toJsonSafe(v));
    }
  });

  it('leaves text without escapes untouched (same string)', () => {
    const t = JSON.stringify({ a: 'é', b: [1, 2] });
    assert.equal(sanitizeJsonText(t), t);
  });

  it('JsonText serializes as its value', () => {
    const j = new JsonText(JSON.stringify({ a: 'x\u0000' }));
    assert.equal(JSON.stringify({ v: j }), '{"v":{"a":"x\uFFFD"}}');
  });
});
