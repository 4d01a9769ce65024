import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';
import { EvalContext, withEvalContext } from './context';

test('uuid.rfc4122: v4 format, stable per key within an evaluation, recorded, replayable', () => {
  const ctx = new EvalContext();
  const [a, a2, b] = withEvalContext(ctx, () => [call('uuid.rfc4122', 'a'), call('uuid.rfc4122', 'a'), call('uuid.rfc4122', 'b')]);
  assert.match(a as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(a, a2);
  assert.notEqual(a, b);
  const pinned = ctx.pinned();
  assert.deepEqual(pinned.uuid, { a, b });
  const replay = withEvalContext(new EvalContext({ pinned }), () => call('uuid.rfc4122', 'a'));
  assert.equal(replay, a);
  const fresh = withEvalContext(new EvalContext(), () => call('uuid.rfc4122', 'a'));
  assert.notEqual(fresh, a);
});

test('rand.intn: in [0, |n|), stable per (key, n), replayable; 0 for n = 0', () => {
  const ctx = new EvalContext();
  withEvalContext(ctx, () => {
    const v = call('rand.intn', 'k', 10) as number;
    assert.ok(Number.isInteger(v) && v >= 0 && v < 10);
    assert.equal(call('rand.intn', 'k', 10), v);
    assert.equal(call('rand.intn', 'z', 0), 0);
    const neg = call('rand.intn', 'n', -5) as number;
    assert.ok(neg >= 0 && neg < 5);
  });
  const pinned = ctx.pinned();
  const again = withEvalContext(new EvalContext({ pinned }), () => call('rand.intn', 'k', 10));
  assert.equal(again, pinned.rand?.['k\u000010']);
  fails('rand.intn', ['k', 1.5], 'eval_type_error');
  fails('rand.intn', [1, 5], 'eval_type_error');
});
