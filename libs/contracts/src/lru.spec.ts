import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru';

/** Which of `keys` the cache holds (probing them counts as using them, in this order). */
function present(c: LruCache<string, number>, keys: string[]): string[] {
  return keys.filter((k) => c.get(k) !== undefined);
}

describe('LruCache', () => {
  it('evicts the least recently used entry, a get counting as a use', () => {
    const c = new LruCache<string, number>(3);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    assert.equal(c.get('a'), 1); // order b, c, a
    c.set('d', 4); // evicts b
    assert.equal(c.get('b'), undefined);
    assert.equal(c.size, 3);
    assert.equal(c.get('c'), 3); // order a, d, c
    c.set('e', 5); // evicts a
    assert.deepEqual(present(c, ['a', 'b', 'c', 'd', 'e']), ['c', 'd', 'e']);
  });

  it('set on a present key replaces the value and makes it the newest', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 10); // order b, a
    c.set('c', 3); // evicts b
    assert.equal(c.get('a'), 10);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.size, 2);
  });

  it('delete and clear keep the list consistent', () => {
    const c = new LruCache<string, number>(3);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) c.set(k, v);
    c.delete('b');
    c.delete('c'); // the newest
    c.delete('zz');
    assert.equal(c.size, 1);
    c.set('d', 4);
    c.set('e', 5);
    c.set('f', 6); // evicts a
    assert.equal(c.get('a'), undefined);
    assert.deepEqual(present(c, ['d', 'e', 'f']), ['d', 'e', 'f']);
    c.clear();
    assert.equal(c.size, 0);
    c.set('g', 7);
    assert.equal(c.get('g'), 7);
  });

  it('capacity 0 caches nothing; capacity 1 keeps the last', () => {
    const z = new LruCache<string, number>(0);
    z.set('a', 1);
    assert.equal(z.get('a'), undefined);
    assert.equal(z.size, 0);
    const one = new LruCache<string, number>(1);
    one.set('a', 1);
    one.set('b', 2);
    assert.equal(one.get('a'), undefined);
    assert.equal(one.get('b'), 2);
    assert.throws(() => new LruCache(-1), RangeError);
  });
});
