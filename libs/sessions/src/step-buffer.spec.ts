import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepBuffer } from './step-buffer';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const step = (n: number) => Buffer.from(JSON.stringify({ step: n, pad: 'x'.repeat(n % 7 * 100) }));

test('StepBuffer joins steps, keeps the last N, and old snapshots never change', () => {
  const b = new StepBuffer([step(1), step(2)]);
  assert.equal(b.count, 2);
  assert.equal(text(b.json()), `${step(1)},${step(2)}`);
  const snapshots: Array<[Uint8Array, string]> = [];
  for (let n = 3; n <= 400; n++) {
    const snap = b.json();
    snapshots.push([snap, text(snap)]);
    b.push(step(n));
    b.keepLast(5);
    const first = Math.max(1, n - 4);
    const want = Array.from({ length: n - first + 1 }, (_, i) => step(first + i).toString()).join(',');
    assert.equal(text(b.json()), want, `after step ${n}`);
    assert.deepEqual(JSON.parse(`[${text(b.json())}]`).map((s: { step: number }) => s.step), Array.from({ length: n - first + 1 }, (_, i) => first + i));
  }
  for (const [snap, was] of snapshots) assert.equal(text(snap), was, 'a snapshot is immutable');
});

test('StepBuffer with a cap of zero, and empty', () => {
  const b = new StepBuffer();
  assert.equal(text(b.json()), '');
  b.push(step(1));
  b.keepLast(0);
  assert.equal(b.count, 0);
  assert.equal(text(b.json()), '');
  b.push(step(2));
  assert.equal(text(b.json()), step(2).toString());
});

test('pushText stores the same bytes as push of the UTF-8 encoding', () => {
  const a = new StepBuffer();
  const b = new StepBuffer();
  for (let n = 1; n <= 300; n++) {
    const s = JSON.stringify({ step: n, t: 'é😀\u2028'.repeat(n % 5 * 40) });
    a.push(Buffer.from(s, 'utf8'));
    b.pushText(s);
    a.keepLast(7);
    b.keepLast(7);
    assert.equal(b.count, a.count);
    assert.equal(text(b.json()), text(a.json()));
  }
});
