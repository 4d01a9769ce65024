import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryStep } from '@arbiter/contracts';
import { toJsonSafe } from '@arbiter/decisions';
import { sortedKeys } from '@arbiter/contracts';
import { historyStep, historyStepBytes, historyStepJson } from './history-step';

const step = (args: Record<string, unknown>, reasons = ['ok']): HistoryStep =>
  historyStep({
    step: 3,
    nowNs: 1_700_000_000_123_000_000,
    toolName: 'read',
    toolServer: null,
    args,
    decision: 'deny',
    reasons: reasons.map((code) => ({ code, message: code })),
  });

test('historyStepJson: the storable step value, every object with sorted keys', () => {
  const cases = [
    step({}),
    step({ z: 1, a: { y: [1, { d: 2, c: 3 }], b: null }, m: 'x' }),
    step({ 'bad\u0000key': 'lone \ud800 surrogate', pair: '\ud83d\ude00', esc: '\\u0000 is text' }, ['a', 'b\udc00']),
  ];
  for (const s of cases) {
    const text = historyStepJson(s);
    const value = JSON.parse(text) as unknown;
    // Same value as the generic path (toJsonSafe then stringify).
    assert.deepEqual(value, JSON.parse(JSON.stringify(toJsonSafe(s))));
    // Keys already sorted at every level: re-sorting changes nothing.
    assert.equal(JSON.stringify(sortedKeys(value)), JSON.stringify(value));
    assert.equal(Buffer.from(historyStepBytes(s)).toString('utf8'), text);
  }
  const sanitized = JSON.parse(historyStepJson(cases[2])) as { tool: { arguments: Record<string, string> }; reasons: string[] };
  assert.equal(sanitized.tool.arguments['bad\ufffdkey'], 'lone \ufffd surrogate');
  assert.equal(sanitized.tool.arguments.pair, '\ud83d\ude00');
  assert.equal(sanitized.tool.arguments.esc, '\\u0000 is text');
  assert.deepEqual(sanitized.reasons, ['a', 'b\ufffd']);
});

test('an argument named __proto__ stays an ordinary key (not the prototype)', () => {
  const args = JSON.parse('{"__proto__":{"path":"/etc/shadow"},"b":1}') as Record<string, unknown>;
  const text = historyStepJson(step(args));
  const value = JSON.parse(text) as { tool: { arguments: Record<string, unknown> } };
  assert.deepEqual(Object.keys(value.tool.arguments), ['__proto__', 'b']);
  assert.match(text, /"arguments":\{"__proto__":\{"path":"\/etc\/shadow"\},"b":1\}/);
  const copy = sortedKeys(args) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal((copy as { path?: unknown }).path, undefined);
});
