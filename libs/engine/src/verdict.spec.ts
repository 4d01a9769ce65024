import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toVerdict } from './verdict';

test('a well-formed decision passes through', () => {
  const v = toVerdict({ decision: 'ask', allow: false, reasons: [{ code: 'c', message: 'm' }], obligations: { x: 1 } });
  assert.deepEqual(v, { decision: 'ask', allow: false, reasons: [{ code: 'c', message: 'm' }], obligations: { x: 1 } });
});

test('opa-wasm result sets are unwrapped', () => {
  assert.equal(toVerdict([{ result: { allow: true } }]).decision, 'allow');
});

test('undefined, empty or malformed results deny with policy_undefined', () => {
  for (const raw of [undefined, null, [], [{ result: 1 }], { decision: 'maybe' }, { reasons: [] }, { allow: 'yes' }, [{ result: { allow: true } }, { result: { allow: true } }]]) {
    const v = toVerdict(raw);
    assert.equal(v.decision, 'deny', JSON.stringify(raw));
    assert.equal(v.allow, false);
    assert.equal(v.reasons[0].code, 'policy_undefined');
  }
});

test('allow contradicting decision denies', () => {
  const v = toVerdict({ decision: 'deny', allow: true });
  assert.equal(v.decision, 'deny');
  assert.equal(v.reasons[0].code, 'policy_undefined');
  assert.equal(toVerdict({ decision: 'ask', allow: true }).allow, false);
});

test('reasons accept strings and {code} entries', () => {
  const v = toVerdict({ allow: false, reasons: ['a', { code: 'b' }] });
  assert.deepEqual(v.reasons, [{ code: 'a', message: 'a' }, { code: 'b', message: 'b' }]);
});

// CONTRACTS.md: a malformed result denies; dropping the bad part could turn a conditional allow
// (obligations) into an unconditional one.
test('malformed reasons or obligations deny with policy_undefined', () => {
  const allow = { allow: true, decision: 'allow' };
  for (const extra of [
    { reasons: 'fine' },
    { reasons: { code: 'x' } },
    { reasons: [3] },
    { reasons: [{ message: 'no code' }] },
    { reasons: [{ code: 'c', message: 7 }] },
    { reasons: null },
    { obligations: [{ redact: 'p' }] },
    { obligations: 'redact' },
    { obligations: null },
  ]) {
    const v = toVerdict({ ...allow, ...extra });
    assert.equal(v.allow, false, JSON.stringify(extra));
    assert.equal(v.reasons[0].code, 'policy_undefined', JSON.stringify(extra));
  }
  assert.deepEqual(toVerdict({ ...allow, obligations: { r: 1 } }).obligations, { r: 1 });
  assert.equal(toVerdict(allow).allow, true, 'absent reasons and obligations are fine');
});
