import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from './cursor';
import { InvalidCursorError } from './errors';

describe('cursor', () => {
  it('round-trips and is base64url', () => {
    const c = encodeCursor({ timeMs: 1735689600123, id: 'abc-1', order: 'desc' });
    assert.match(c, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(c), { timeMs: 1735689600123, id: 'abc-1', order: 'desc' });
  });

  it('rejects anything it did not issue', () => {
    const bad = [
      '',
      'a+b/',
      Buffer.from('[]').toString('base64url'),
      Buffer.from('{"v":2,"t":1,"i":"a","o":"asc"}').toString('base64url'),
      Buffer.from('{"v":1,"t":1.5,"i":"a","o":"asc"}').toString('base64url'),
      Buffer.from('{"v":1,"t":1,"i":"","o":"asc"}').toString('base64url'),
      Buffer.from('{"v":1,"t":1,"i":"a","o":"up"}').toString('base64url'),
      Buffer.from('{"v":1,"t":9e15,"i":"a","o":"asc"}').toString('base64url'),
    ];
    for (const c of bad) assert.throws(() => decodeCursor(c), InvalidCursorError, c);
    assert.throws(() => decodeCursor(42), InvalidCursorError);
  });
});
