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

test('reasons accept strings and drop junk', () => {
  const v = toVerdict({ allow: false, reasons: ['a', { code: 'b' }, 3, { message: 'x' }] });
  assert.deepEqual(v.reasons, [{ code: 'a', message: 'a' }, { code: 'b', message: 'b' }]);
});
