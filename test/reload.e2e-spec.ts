// Hot reload: a good change swaps the policy, a broken one keeps the old policy and shows the error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startArbiter, type Harness } from './support/arbiter-harness';
import { ALLOW_ALL, BROKEN, DENY_ALL } from './support/test-policies';

let h: Harness;
before(async () => {
  h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL } });
});
after(() => h?.close());

const decide = () => h.decide({ tool: { name: 'x' } });
const ready = () => h.request('GET', '/health/ready');

test('a good change is picked up by the watcher and changes the revision', async () => {
  const first = await decide();
  assert.equal(first.body.decision, 'allow');
  const rev = first.body.policy.revision;
  h.writePolicy('p.rego', DENY_ALL);
  await eventually(async () => (await decide()).body.policy.revision !== rev, 20_000, 'new revision');
  const after = await decide();
  assert.equal(after.body.decision, 'deny');
  assert.equal(after.body.reasons[0].code, 'closed');
  const r = await ready();
  assert.equal(r.body.policy.last_reload.result, 'success');
});

test('a broken change keeps the old policy; ready reports the error; a fix recovers', async () => {
  const rev = (await decide()).body.policy.revision;
  h.writePolicy('p.rego', BROKEN);
  await eventually(async () => (await ready()).body.policy.last_reload?.result === 'failure', 20_000, 'failed reload');
  const r = await ready();
  assert.equal(r.status, 200, 'the old policy still serves');
  assert.match(r.body.policy.last_error.errors[0], /p\.rego:3:\d+: rego_parse_error/);
  const d = await decide();
  assert.equal(d.body.policy.revision, rev);
  assert.equal(d.body.decision, 'deny');
  const manual = await h.request('POST', '/policies/reload');
  assert.equal(manual.status, 422);
  assert.equal(manual.body.error.code, 'policy_reload_failed');
  const metrics = await h.request('GET', '/metrics');
  assert.match(metrics.text, /arbiter_policy_reloads_total\{result="failure"\} [1-9]/);
  h.writePolicy('p.rego', ALLOW_ALL);
  await eventually(async () => (await decide()).body.decision === 'allow', 20_000, 'recovered policy');
});

test('a policy directory without a usable policy denies with policy_unavailable', async () => {
  const empty = await startArbiter({ policies: { 'readme.txt': 'nothing here' } });
  try {
    const d = await empty.decide({ tool: { name: 'x' } });
    assert.equal(d.status, 200);
    assert.equal(d.body.decision, 'deny');
    assert.equal(d.body.reasons[0].code, 'policy_unavailable');
    const r = await empty.request('GET', '/health/ready');
    assert.equal(r.status, 503);
    assert.equal(r.body.status, 'not_ready');
  } finally {
    await empty.close();
  }
});

test('an undefined decision denies with policy_undefined', async () => {
  const u = await startArbiter({ policies: { 'p.rego': 'package mcp\n\nimport rego.v1\n\nother := true\n' } });
  try {
    const d = await u.decide({ tool: { name: 'x' } });
    assert.equal(d.body.decision, 'deny');
    assert.equal(d.body.reasons[0].code, 'policy_undefined');
  } finally {
    await u.close();
  }
});
