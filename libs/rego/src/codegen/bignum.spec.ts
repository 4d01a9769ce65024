// Integer arithmetic beyond i64 stays exact through the Wasm runtime (OPA's numbers are
// arbitrary precision): % and exact / used to go through float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../compile';
import { loadPolicy } from '../host';

async function value(expr: string): Promise<unknown> {
  const out = await compile({ modules: [{ file: 'p.rego', text: `package t\nr := ${expr}\n` }], entrypoints: ['t/r'] });
  assert.deepEqual(out.errors, []);
  const p = await loadPolicy(out.wasm!);
  const rs = p.evaluate(undefined, 't/r', { exactNumbers: true }).result as Array<{ result: unknown }>;
  return rs[0]?.result;
}

test('remainder of big integers is exact, with the dividend sign', async () => {
  assert.equal(await value('12345678901234567890 % 7'), 1);
  assert.equal(await value('12345678901234567890 % 10'), 0);
  assert.equal(await value('-12345678901234567890 % 7'), -1);
  assert.equal(await value('18446744073709551621 % 3'), 0);
  assert.equal(await value('123456789012345678901234567890 % 1000000000000000000007'), 123456789012345678901234567890n % 1000000000000000000007n);
  assert.equal(await value('12345678901234567890 % 0'), undefined);
});

test('division of big integers is exact when it divides, float64 otherwise', async () => {
  assert.equal(await value('123456789012345678901234567890 / 10'), 12345678901234567890123456789n);
  assert.equal(await value('-9223372036854775808 / -1'), 9223372036854775808n);
  assert.equal(await value('36893488147419103232 / 18446744073709551616'), 2);
  // not a multiple: a float64 quotient (OPA keeps more digits; a documented gap)
  assert.equal(Number(await value('12345678901234567891 / 2')), 6172839450617283945.5);
});

test('big integers order exactly against i64 values at the boundary', async () => {
  assert.equal(await value('9223372036854775808 > 9223372036854775807'), true);
  assert.equal(await value('9223372036854775808 == 9223372036854775807'), false);
  assert.equal(await value('-9223372036854775809 < -9223372036854775808'), true);
  assert.equal(await value('9223372036854775807 < 9223372036854775808'), true);
  assert.equal(await value('count({9223372036854775808, 9223372036854775807})'), 2);
});
