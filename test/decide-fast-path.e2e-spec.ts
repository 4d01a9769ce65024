// POST /decide is served by two paths (apps/pdp/src/decide/decide.fast-path.ts): plain JSON
// requests skip Fastify, the rest (chunked bodies, …) go through the Fastify route. Both must
// answer alike: same decision shape, same error mapping, everything recorded the same way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startArbiter, type Harness } from './support/arbiter-harness';

const sha = (k: string) => createHash('sha256').update(k).digest('hex');

const POLICY = `package mcp
import rego.v1
default decision := {"allow": false, "decision": "deny", "reasons": [{"code": "not_listed", "message": "not listed"}], "obligations": {}}
decision := {"allow": true, "decision": "allow", "reasons": [], "obligations": {}} if input.tool.name == "read_file"
`;

/** Sends `body` with Transfer-Encoding: chunked (no Content-Length): the Fastify route's case. */
function chunked(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/decide`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    const mid = body.length >> 1;
    req.write(body.slice(0, mid));
    req.end(body.slice(mid));
  });
}

describe('POST /decide: fast path and Fastify route agree', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({ policies: { 'p.rego': POLICY } });
  });
  after(() => h.close());

  test('a decision is the same through both paths, and both are recorded', async () => {
    const body = (sid: string) => JSON.stringify({ tool: { name: 'read_file', arguments: { path: '/a' } }, session: { id: sid } });
    const fast = await h.decide(body('fp-1'), { 'content-type': 'application/json; charset=utf-8' });
    const slow = await chunked(h.url, body('fp-2'));
    assert.equal(fast.status, 200, fast.text);
    assert.equal(fast.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(slow.status, 200);
    const strip = (b: any) => ({ ...b, decision_id: undefined, session: { ...b.session, id: undefined } });
    assert.deepEqual(strip(fast.body), strip(slow.body));
    assert.equal(fast.body.decision, 'allow');
    for (const id of [fast.body.decision_id, slow.body.decision_id]) {
      const rec = await h.request('GET', `/decisions/${id}`);
      assert.equal(rec.status, 200, rec.text);
      assert.equal(rec.body.decision, 'allow');
    }
  });

  test('errors map alike: bad JSON, invalid request, deny', async () => {
    for (const [raw, status, code] of [
      ['{"tool":', 400, 'invalid_json'],
      ['{"tool":{"name":7}}', 400, 'invalid_request'],
    ] as const) {
      const before = (await h.allDecisions()).length;
      const fast = await h.decide(raw);
      const slow = await chunked(h.url, raw);
      assert.equal(fast.status, status, fast.text);
      assert.equal(slow.status, status);
      assert.equal(fast.body.error.code, code);
      assert.equal(slow.body.error.code, code);
      assert.equal((await h.allDecisions()).length, before, 'nothing recorded for a 400');
    }
    const deny = await h.decide({ tool: { name: 'rm' } });
    assert.equal(deny.status, 200);
    assert.deepEqual(deny.body.reasons.map((r: any) => r.code), ['not_listed']);
  });

  test('other routes and content types still go to Fastify', async () => {
    const r = await h.request('POST', '/decide', 'tool=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.code, 'unsupported_media_type');
    const health = await h.request('GET', '/health/live');
    assert.ok(health.status === 200 || health.status === 404, `GET still routed by Fastify (${health.status})`);
  });
});

describe('POST /decide fast path with API keys', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({ policies: { 'p.rego': POLICY }, env: { ARBITER_API_KEYS: `gw:gateway:${sha('secret-gw')},ad:admin:${sha('secret-ad')}` } });
  });
  after(() => h.close());

  test('unauthenticated and forbidden callers are refused on both paths', async () => {
    const body = JSON.stringify({ tool: { name: 'read_file' } });
    const none = await h.decide(body);
    assert.equal(none.status, 401, none.text);
    assert.equal((await chunked(h.url, body)).status, 401);
    const admin = await h.decide(body, { authorization: 'Bearer secret-ad' });
    assert.equal(admin.status, 403, admin.text);
    assert.equal((await chunked(h.url, body, { authorization: 'Bearer secret-ad' })).status, 403);
    const gw = await h.decide(body, { authorization: 'Bearer secret-gw' });
    assert.equal(gw.status, 200, gw.text);
  });
});
