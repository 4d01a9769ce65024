// The SQLite writer thread's row transport: cells survive the shared buffers unchanged, and a
// batch larger than the buffers moves to larger ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowDecoder, RowEncoder } from './writers/row-codec';
import type { Cell } from './writers/rows';

describe('row codec', () => {
  it('round-trips text (ASCII, non-ASCII, quotes, NUL, lone surrogate), numbers and nulls', () => {
    const rows: Cell[][] = [
      ['id-1', 1_735_689_600_123, null, 42, "it's", 'a\0b', 'żółw 🐢 €', '', 0, -7, 2 ** 53 - 1],
      ['x'.repeat(64), 'y'.repeat(65), 'é'.repeat(64), null, null, 'z', 'q', 'r', 1, 2, 3],
    ];
    const enc = new RowEncoder();
    const dec = new RowDecoder();
    enc.reset();
    enc.rows(rows);
    enc.rows([['tail', 5]]);
    const [a, b] = dec.read(enc.finish(), [[2, 11], [1, 2]]);
    assert.deepEqual(a, rows);
    assert.deepEqual(b, [['tail', 5]]);
    // A lone surrogate arrives as U+FFFD (as the SQLite driver would store it), lengths intact.
    enc.reset();
    enc.rows([['x\uD800y', 'after']]);
    assert.deepEqual(dec.read(enc.finish(), [[1, 2]]), [[['x\uFFFDy', 'after']]]);
  });

  it('moves a batch that does not fit to larger buffers, keeping what was written, and sends them once', () => {
    const enc = new RowEncoder();
    const dec = new RowDecoder();
    enc.reset();
    assert.ok(enc.finish().buffers, 'the first batch carries the buffers');
    enc.reset();
    assert.equal(enc.finish().buffers, undefined, 'later batches reuse them');
    const big = 'é'.repeat(700_000); // 1.4 MB of UTF-8, more than the initial text buffer
    const many: Cell[][] = Array.from({ length: 3000 }, (_, i) => [`r${i}`, i, null, 'abc', 'd', 'e', 'f']); // > initial cells
    const rows: Cell[][] = [['head', 1, null, 'a', 'b', 'c', 'd'], [big, 2, null, 'a', 'b', 'c', 'd'], ...many];
    enc.reset();
    enc.rows(rows);
    const batch = enc.finish();
    assert.ok(batch.buffers, 'grown buffers are sent');
    assert.deepEqual(dec.read(batch, [[rows.length, 7]]), [rows]);
    enc.reset(true);
    assert.ok(enc.finish().buffers, 'fresh buffers on request');
  });
});
