import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryStep } from '@arbiter/contracts';
import { toJsonSafe } from '@arbiter/decisions';
import { sortedKeys } from '@arbiter/contracts';
import { historyStep, historyStepBytes, historyStepJson, historyStepJsonOf, isoTime, sortedJson } from './history-step';

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

test('sortedJson writes JSON.stringify(sortedKeys(v)) for any JSON value', () => {
  const cases: unknown[] = [
    null,
    0,
    -0,
    1.5e300,
    'x"\\\u2028',
    true,
    [],
    {},
    [1, 'a', null, { b: 1, a: [{ z: 0, y: {} }] }],
    { z: 1, a: { y: [1, { d: 2, c: 3 }], b: null }, m: 'x', 'é': 1, e: 2, Z: 3, '': 4 },
    JSON.parse('{"__proto__":{"path":"/etc/shadow"},"b":1,"a":{"__proto__":[1]}}'),
    // Array-index keys enumerate first (in numeric order) in the sorted copy as well.
    { b: 1, 10: 'ten', 9: 'nine', a: { 2: 1, 1: 2, x: 3 } },
    { '01': 1, '1': 2, '1a': 3, a: 4 },
    { 'bad\u0000key': 'lone \ud800 surrogate', pair: '\ud83d\ude00' },
  ];
  for (const v of cases) assert.equal(sortedJson(v), JSON.stringify(sortedKeys(v)), JSON.stringify(v));
  // Not JSON data, but handled the way JSON.stringify handles it.
  const odd = { a: undefined, b: [undefined, () => 1], c: 1 };
  assert.equal(sortedJson(odd), JSON.stringify(sortedKeys(odd)));
});

test('historyStepJsonOf(facts) is historyStepJson(historyStep(facts))', () => {
  const facts = (args: unknown, reasons: string[], toolServer: string | null = 'srv') => ({
    step: 7,
    nowNs: 1_700_000_000_123_456_789,
    toolName: 'write',
    toolServer,
    args,
    decision: 'ask' as const,
    reasons: reasons.map((code) => ({ code, message: `m-${code}` })),
  });
  const cases = [
    facts({ b: 1, a: 'x' }, []),
    facts({ z: [1, { y: 2, x: 1 }], 3: 'n' }, ['one', 'two'], null),
    facts(undefined, ['r']),
    facts(['not', 'an', 'object'], []),
    facts(null, []),
    facts({ s: 'lone \udc00', n: 'nul\u0000' }, ['b\ud800']),
  ];
  for (const f of cases) assert.equal(historyStepJsonOf(f), historyStepJson(historyStep(f)));
});

test('isoTime is toISOString, also across seconds, before 1970 and past year 9999', () => {
  const times = [0, -0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1_700_000_000_123, 1_700_000_000_999, 1_700_000_001_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15, 1.5, -1.5, 2_000.7];
  for (let i = 0; i < 2000; i++) times.push(Math.floor((Math.random() - 0.3) * 4e12));
  for (const t of [...times, ...times.reverse()]) assert.equal(isoTime(t), new Date(t).toISOString(), String(t));
  assert.throws(() => isoTime(NaN), RangeError);
  assert.throws(() => isoTime(8.64e15 + 1), RangeError);
});
