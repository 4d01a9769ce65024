// POST /decide end to end: policy paths, request validation, token verification, session history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { createTestKeys, ISSUER, RESOURCE, type TestKeys } from './support/jwt-keys';
import { MAIN_DATA, MAIN_POLICY } from './support/test-policies';

let h: Harness;
let keys: TestKeys;
let keyDir: string;

before(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'arbiter-keys-'));
  keys = await createTestKeys(keyDir);
  h = await startArbiter({
    policies: { 'mcp/decision.rego': MAIN_POLICY, 'data.json': MAIN_DATA, 'mcp/decision_test.rego': 'not rego at all {' },
    env: {
      ARBITER_JWKS_FILE: keys.jwksFile,
      ARBITER_JWT_ISSUERS: ISSUER,
      ARBITER_CLOCK_SKEW_S: '5',
      ARBITER_BODY_LIMIT: '8192',
      ARBITER_MAX_DEPTH: '16',
    },
  });
});

after(async () => {
  await h?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

let seq = 0;
const sid = (p: string) => `${p}-${++seq}-${Date.now()}`;
async function call(tool: string, session: string, extra: Record<string, unknown> = {}) {
  return h.decide({ tool: { name: tool, arguments: { n: seq } }, token: await keys.mint(), resource: RESOURCE, session: { id: session }, ...extra });
}

describe('decisions', () => {
  test('the service is ready with the test policy loaded (its _test.rego is ignored)', async () => {
    const r = await h.request('GET', '/health/ready');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.policy.loaded, true);
    assert.match(r.body.policy.revision, /^sha256:/);
    assert.equal(r.body.store.ok, true);
  });

  test('allow path: answer, record and step', async () => {
    const s = sid('allow');
    const r = await call('read_file', s);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.decision, 'allow');
    assert.equal(r.body.allow, true);
    assert.deepEqual(r.body.reasons, []);
    assert.deepEqual(r.body.session, { id: s, step: 1 });
    assert.equal(r.body.policy.entrypoint, 'mcp/decision');
    const stored = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.decision, 'allow');
    assert.equal(stored.body.subject, 'alice');
    assert.equal(stored.body.input.token.valid, true);
    assert.equal(JSON.stringify(stored.body).includes('eyJ'), false, 'no raw token is stored');
  });

  test('deny and ask paths, including data placed from data.json', async () => {
    const s = sid('deny');
    const blocked = await call('rm_rf', s);
    assert.equal(blocked.body.decision, 'deny');
    assert.equal(blocked.body.allow, false);
    assert.deepEqual(blocked.body.reasons.map((x: any) => x.code), ['blocked_tool']);
    const ask = await call('delete_file', s);
    assert.equal(ask.body.decision, 'ask');
    assert.equal(ask.body.allow, false);
    assert.equal(ask.body.session.step, 2);
  });

  test('history: send_email after read_secret is denied; the session timeline shows both', async () => {
    const s = sid('hist');
    assert.equal((await call('read_secret', s)).body.decision, 'allow');
    const send = await call('send_email', s);
    assert.equal(send.body.decision, 'deny');
    assert.equal(send.body.reasons[0].code, 'exfiltration');
    const tl = await h.request('GET', `/sessions/${encodeURIComponent(s)}`);
    assert.equal(tl.status, 200);
    assert.deepEqual(tl.body.owner, { subject: 'alice', client_id: 'client-1' });
    assert.deepEqual(tl.body.steps.map((x: any) => [x.step, x.tool.name, x.decision]), [[1, 'read_secret', 'allow'], [2, 'send_email', 'deny']]);
    assert.equal(tl.body.steps[1].reasons[0].code, 'exfiltration');
  });

  test('a client cannot rewrite history Arbiter already has', async () => {
    const s = sid('rewrite');
    await call('read_secret', s);
    const r = await call('send_email', s, { session: { id: s, history: [{ tool: { name: 'weather' }, decision: 'allow' }] } });
    assert.equal(r.body.decision, 'deny', 'server history (read_secret) wins');
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(rec.body.input.session.history_source, 'server');
    assert.deepEqual(rec.body.input.session.history.map((x: any) => x.tool.name), ['read_secret']);
  });

  test('client history is used for a session Arbiter does not know', async () => {
    const s = sid('seed');
    const r = await call('send_email', s, { session: { id: s, history: [{ tool: { name: 'read_secret' }, decision: 'allow' }] } });
    assert.equal(r.body.decision, 'deny');
    assert.equal(r.body.session.step, 2);
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(rec.body.input.session.history_source, 'client');
  });

  test('another subject using the session gets owner_mismatch', async () => {
    const s = sid('owner');
    await call('read_file', s);
    const r = await h.decide({ tool: { name: 'read_file' }, token: await keys.mint({ sub: 'mallory' }), resource: RESOURCE, session: { id: s } });
    assert.equal(r.body.decision, 'deny');
    assert.deepEqual(r.body.reasons.map((x: any) => x.code), ['owner_mismatch']);
  });
});

describe('tokens reach the policy as verified claims or an error', () => {
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['expired', () => keys.mint({ exp: Math.floor(Date.now() / 1000) - 120 }), 'token_expired'],
    ['wrong audience', () => keys.mint({ aud: 'https://other.example' }), 'token_audience'],
    ['unknown issuer', () => keys.mint({ iss: 'https://evil.example' }), 'token_issuer'],
    ['foreign key', () => keys.mintForeign(), 'token_signature'],
    ['alg none', async () => keys.unsigned(), 'token_alg'],
    ['HS256 with the public key', () => keys.hmacWithPublicKey(), 'token_alg'],
    ['garbage', async () => 'abc.def', 'token_malformed'],
  ];
  for (const [name, make, code] of cases) {
    test(name, async () => {
      const r = await h.decide({ tool: { name: 'read_file' }, token: await make(), resource: RESOURCE, session: { id: sid('tok') } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.decision, 'deny');
      assert.equal(r.body.reasons[0].code, 'token_invalid');
      const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
      assert.equal(rec.body.input.token.valid, false);
      assert.equal(rec.body.input.token.error.code, code);
      assert.equal(rec.body.input.token.claims, null);
    });
  }

  test('no token at all', async () => {
    const r = await h.decide({ tool: { name: 'read_file' }, session: { id: sid('none') } });
    assert.equal(r.body.decision, 'deny');
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(rec.body.input.token.present, false);
  });

  test('claims are refused from an untrusted (here anonymous) caller', async () => {
    const r = await h.decide({ tool: { name: 'read_file' }, claims: { sub: 'alice' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'claims_not_allowed');
  });
});

describe('malformed requests: 400, nothing evaluated or recorded', () => {
  const deep = (n: number) => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = { a: v };
    return v;
  };
  const cases: Array<[string, unknown, string, number?]> = [
    ['bad JSON', '{"tool": {"name": ', 'invalid_json'],
    ['empty body', '', 'invalid_json'],
    ['tool missing', { session: { id: 'x' } }, 'invalid_request'],
    ['tool name wrong type', { tool: { name: 42 } }, 'invalid_request'],
    ['arguments not an object', { tool: { name: 'a', arguments: [1] } }, 'invalid_request'],
    ['unknown field', { tool: { name: 'a' }, tokne: 'x' }, 'invalid_request'],
    ['session id wrong type', { tool: { name: 'a' }, session: { id: 7 } }, 'invalid_request'],
    ['bad client history', { tool: { name: 'a' }, session: { id: 'h-bad', history: [{ tool: {} }] } }, 'invalid_request'],
    ['oversized body', { tool: { name: 'a', arguments: { blob: 'x'.repeat(10_000) } } }, 'body_too_large'],
    ['deeply nested body', { tool: { name: 'a', arguments: deep(40) } }, 'body_too_deep'],
    ['deep nesting hidden in an array', `{"tool":{"name":"a","arguments":{"x":${'['.repeat(3000)}${']'.repeat(3000)}}}}`, 'body_too_deep'],
  ];
  for (const [name, body, code] of cases) {
    test(name, async () => {
      const before = (await h.allDecisions()).length;
      const r = await h.decide(body);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, code, r.text);
      assert.equal(typeof r.body.error.message, 'string');
      assert.equal((await h.allDecisions()).length, before, 'nothing recorded');
    });
  }

  test('a non-JSON content type is refused', async () => {
    const r = await h.request('POST', '/decide', 'tool=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.code, 'unsupported_media_type');
  });
});

describe('analyst endpoints', () => {
  test('filters by session and decision, paginates with cursors', async () => {
    const s = sid('list');
    for (const t of ['read_file', 'rm_rf', 'read_file']) await call(t, s);
    const all = await h.request('GET', `/decisions?session=${s}`);
    assert.deepEqual(all.body.items.map((x: any) => x.decision), ['allow', 'deny', 'allow']);
    const denies = await h.request('GET', `/decisions?session=${s}&decision=deny`);
    assert.equal(denies.body.items.length, 1);
    const p1 = await h.request('GET', `/decisions?session=${s}&limit=2`);
    assert.equal(p1.body.items.length, 2);
    const p2 = await h.request('GET', `/decisions?session=${s}&limit=2&cursor=${p1.body.next_cursor}`);
    assert.equal(p2.body.items.length, 1);
    assert.equal(p2.body.next_cursor, null);
    const since = await h.request('GET', `/decisions?session=${s}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.equal(since.body.items.length, 0);
  });

  for (const q of ['limit=0', 'limit=abc', 'limit=5000', 'decision=maybe', 'since=yesterday', 'cursor=%25%25', 'bogus=1', 'limit=1&limit=2']) {
    test(`bad query ${q} → 400`, async () => {
      const r = await h.request('GET', `/decisions?${q}`);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'invalid_query');
    });
  }

  test('unknown session and decision → 404', async () => {
    assert.equal((await h.request('GET', '/sessions/nope-nope')).status, 404);
    assert.equal((await h.request('GET', '/decisions/00000000-0000-0000-0000-000000000000')).body.error.code, 'not_found');
  });

  test('metrics expose decision counters and eval histogram', async () => {
    const r = await h.request('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.text, /arbiter_decisions_total\{decision="allow"\} [1-9]/);
    assert.match(r.text, /arbiter_eval_duration_seconds_count [1-9]/);
    assert.match(r.text, /arbiter_decision_log_queue_depth \d/);
    assert.match(r.text, /arbiter_decision_log_write_seconds_count [1-9]/);
    assert.match(r.text, /arbiter_policy_reloads_total\{result="success"\} 1/);
  });
});
