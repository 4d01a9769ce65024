// Audit: whatever the policy returns, only a well-formed allow is an allow. Each case loads a
// policy whose `data.mcp.decision` has a malformed shape (or fails) and checks that /decide
// denies, records the deny, and never answers allow.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startArbiter, type Harness } from './support/arbiter-harness';

const rego = (body: string) => `package mcp\n\nimport rego.v1\n\n${body}\n`;

/** Starts one service per policy (the engine holds one entrypoint), decides once, closes. */
async function decideWith(policy: string, body: unknown = { tool: { name: 'read_file' } }) {
  const h = await startArbiter({ policies: { 'p.rego': rego(policy) }, env: { ARBITER_POLICY_WATCH: 'false' } });
  try {
    const r = await h.decide(body);
    const rec = r.body?.decision_id ? await h.request('GET', `/decisions/${r.body.decision_id}`) : null;
    return { r, rec };
  } finally {
    await h.close();
  }
}

function assertDenied(r: { status: number; body: any; text: string }, code?: string) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.decision, 'deny', r.text);
  assert.equal(r.body.allow, false, r.text);
  if (code) assert.equal(r.body.reasons[0]?.code, code, r.text);
}

describe('malformed policy results deny with policy_undefined (already correct)', () => {
  const cases: Array<[string, string]> = [
    ['decision in upper case', 'decision := {"allow": true, "decision": "ALLOW", "reasons": []}'],
    ['allow true contradicts decision deny', 'decision := {"allow": true, "decision": "deny", "reasons": []}'],
    ['allow true with decision ask', 'decision := {"allow": true, "decision": "ask", "reasons": []}'],
    ['allow as the string "true"', 'decision := {"allow": "true"}'],
    ['allow as a number', 'decision := {"allow": 1, "reasons": []}'],
    ['decision as a boolean', 'decision := {"decision": true}'],
    ['an array holding a decision', 'decision := [{"allow": true, "decision": "allow"}]'],
    ['a fake opa-wasm result set', 'decision := [{"result": {"allow": true, "decision": "allow"}}]'],
    ['a set', 'decision := {"allow", "decision"}'],
    ['a number', 'decision := 1'],
    ['null', 'decision := null'],
    ['a string', 'decision := "allow"'],
    ['an empty object', 'decision := {}'],
    ['undefined (rule never true)', 'decision := {"allow": true, "decision": "allow"} if input.tool.name == "never"'],
    ['a builtin error makes it undefined', 'decision := {"allow": true, "decision": "allow", "n": to_number("abc")}'],
  ];
  for (const [name, policy] of cases) {
    test(name, async () => {
      const { r, rec } = await decideWith(policy);
      assertDenied(r, 'policy_undefined');
      assert.equal(rec?.status, 200, 'the deny is recorded');
      assert.equal(rec?.body.decision, 'deny');
    });
  }

  test('conflicting complete rules (evaluation error) deny with policy_error', async () => {
    const { r } = await decideWith('decision := {"allow": true, "decision": "allow"} if true\ndecision := {"allow": false, "decision": "deny"} if true');
    assertDenied(r, 'policy_error');
  });

  test('a runaway policy is stopped by fuel and denied with policy_timeout', async () => {
    const { r } = await decideWith('decision := {"allow": true, "decision": "allow"} if {\n\tsome i in numbers.range(1, 3000)\n\tsome j in numbers.range(1, 3000)\n\ti + j < 0\n}');
    assertDenied(r, 'policy_timeout');
  });

  test('no policy at all denies with policy_unavailable and the service is not ready', async () => {
    const h = await startArbiter({ policies: { 'README.md': 'no rego here' }, env: { ARBITER_POLICY_WATCH: 'false' } });
    try {
      assertDenied(await h.decide({ tool: { name: 'x' } }), 'policy_unavailable');
      assert.equal((await h.request('GET', '/health/ready')).status, 503);
    } finally {
      await h.close();
    }
  });

  test('a different package (entrypoint missing) denies', async () => {
    const h = await startArbiter({ policies: { 'p.rego': 'package other\n\nimport rego.v1\n\ndecision := {"allow": true, "decision": "allow"}\n' }, env: { ARBITER_POLICY_WATCH: 'false' } });
    try {
      assertDenied(await h.decide({ tool: { name: 'x' } }));
    } finally {
      await h.close();
    }
  });
});

// CONTRACTS.md: "Undefined or malformed result → the service denies with reason policy_undefined".
// Today a malformed `reasons` or `obligations` next to an allow is silently dropped and the call
// is ALLOWED (libs/engine/src/verdict.ts toVerdict/toReasons). Dropping obligations is a fail-open:
// the gateway forwards the call without the condition the policy meant to attach.
describe('FAILS UNTIL FIXED: malformed parts of an allow must not be dropped silently', () => {
  const cases: Array<[string, string]> = [
    ['reasons is a string', 'decision := {"allow": true, "decision": "allow", "reasons": "looks fine"}'],
    ['reasons is an object', 'decision := {"allow": true, "decision": "allow", "reasons": {"code": "x"}}'],
    ['obligations is an array', 'decision := {"allow": true, "decision": "allow", "reasons": [], "obligations": [{"redact": "path"}]}'],
    ['obligations is a string', 'decision := {"allow": true, "decision": "allow", "reasons": [], "obligations": "redact"}'],
  ];
  for (const [name, policy] of cases) {
    test(name, async () => {
      const { r } = await decideWith(policy);
      assertDenied(r, 'policy_undefined');
    });
  }
});

describe('a well-formed allow still allows (guards against over-tightening)', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({
      policies: { 'p.rego': rego('decision := {"allow": true, "decision": "allow", "reasons": [], "obligations": {"redact": ["path"]}}') },
      env: { ARBITER_POLICY_WATCH: 'false' },
    });
  });
  after(() => h?.close());

  test('allow with reasons [] and object obligations', async () => {
    const r = await h.decide({ tool: { name: 'x' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.decision, 'allow');
    assert.equal(r.body.allow, true);
    assert.deepEqual(r.body.obligations, { redact: ['path'] });
  });
});
