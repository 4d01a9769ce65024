// Audit: hostile /decide bodies. Each one gets a 400 with a machine-readable code (and nothing
// is recorded) or a correct decision — never a 500, a crash, or a record for a refused request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { ALLOW_ALL } from './support/test-policies';

let h: Harness;
before(async () => {
  h = await startArbiter({ policies: { 'p.rego': ALLOW_ALL }, env: { ARBITER_POLICY_WATCH: 'false', ARBITER_BODY_LIMIT: '262144', ARBITER_MAX_DEPTH: '16' } });
});
after(() => h?.close());

/** Raw POST (bytes as given, any content type) → status and parsed body. */
function rawPost(path: string, body: Buffer | string, headers: Record<string, string>, chunked = false): Promise<{ status: number; body: any; text: string }> {
  const u = new URL(h.url + path);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body);
      req.end();
    } else req.end(body);
  });
}

const JSON_CT = { 'content-type': 'application/json' };
const count = async () => (await h.allDecisions()).length;

async function expect400(body: Buffer | string, code: string | string[], headers: Record<string, string> = JSON_CT, chunked = false) {
  const before = await count();
  const r = await rawPost('/decide', body, headers, chunked);
  const codes = Array.isArray(code) ? code : [code];
  assert.ok(r.status === 400 || r.status === 415, `status ${r.status}: ${r.text.slice(0, 300)}`);
  assert.ok(codes.includes(r.body?.error?.code), `code ${r.body?.error?.code} not in ${codes.join('|')}: ${r.text.slice(0, 300)}`);
  assert.equal(typeof r.body.error.message, 'string');
  assert.equal(await count(), before, 'a refused request leaves no record');
  return r;
}

describe('refused with 400 and a code, nothing recorded (already correct)', () => {
  const cases: Array<[string, string, string]> = [
    ['__proto__ at the top level', '{"__proto__":{"allow":true},"tool":{"name":"x"}}', 'invalid_request'],
    ['__proto__ inside tool', '{"tool":{"name":"x","__proto__":{"arguments":{}}}}', 'invalid_request'],
    ['constructor.prototype at the top level', '{"tool":{"name":"x"},"constructor":{"prototype":{"allow":true}}}', 'invalid_request'],
    ['a JSON array', '[{"tool":{"name":"x"}}]', 'invalid_request'],
    ['a JSON string', '"tool"', 'invalid_request'],
    ['a JSON number', '42', 'invalid_request'],
    ['JSON null', 'null', 'invalid_request'],
    ['JSON true', 'true', 'invalid_request'],
    ['a byte-order mark', '\ufeff{"tool":{"name":"x"}}', 'invalid_json'],
    ['trailing garbage', '{"tool":{"name":"x"}} {}', 'invalid_json'],
    ['a session id of 300 characters', JSON.stringify({ tool: { name: 'x' }, session: { id: 's'.repeat(300) } }), 'invalid_request'],
    ['a session id with spaces', JSON.stringify({ tool: { name: 'x' }, session: { id: 'a b' } }), 'invalid_request'],
    ['a non-ASCII session id', JSON.stringify({ tool: { name: 'x' }, session: { id: 'sé' } }), 'invalid_request'],
    ['a tool name of 300 characters', JSON.stringify({ tool: { name: 't'.repeat(300) } }), 'invalid_request'],
    ['an empty tool name', JSON.stringify({ tool: { name: '' } }), 'invalid_request'],
    ['a token of 20k characters', JSON.stringify({ tool: { name: 'x' }, token: 'a'.repeat(20_000) }), 'invalid_request'],
    ['context as an array', JSON.stringify({ tool: { name: 'x' }, context: [] }), 'invalid_request'],
    ['annotations as a string', JSON.stringify({ tool: { name: 'x', annotations: 'destructive' } }), 'invalid_request'],
    ['1001 client history entries', JSON.stringify({ tool: { name: 'x' }, session: { id: 'h1001', history: Array.from({ length: 1001 }, () => ({ tool: { name: 'h' } })) } }), 'invalid_request'],
    ['nesting deeper than ARBITER_MAX_DEPTH', `{"tool":{"name":"x","arguments":{"a":${'['.repeat(40)}${']'.repeat(40)}}}}`, 'body_too_deep'],
    ['100k open brackets', `{"tool":{"name":"x","arguments":{"a":${'['.repeat(100_000)}}}}`, 'body_too_deep'],
  ];
  for (const [name, body, code] of cases) test(name, () => expect400(body, code).then(() => undefined));

  test('a body over ARBITER_BODY_LIMIT', () => expect400(JSON.stringify({ tool: { name: 'x', arguments: { b: 'x'.repeat(300_000) } } }), 'body_too_large').then(() => undefined));

  for (const ct of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-seq', 'application/vnd.api+json']) {
    test(`content type ${ct} → 415`, async () => {
      const r = await expect400('{"tool":{"name":"x"}}', 'unsupported_media_type', { 'content-type': ct });
      assert.equal(r.status, 415);
    });
  }

  test('no content type → 415', async () => {
    const r = await expect400('{"tool":{"name":"x"}}', 'unsupported_media_type', {});
    assert.equal(r.status, 415);
  });
});

describe('accepted and decided correctly (already correct)', () => {
  test('__proto__ and constructor inside arguments are plain data: decided, recorded verbatim, no pollution', async () => {
    const body = '{"tool":{"name":"x","arguments":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}},"session":{"id":"proto-args"}}';
    const r = await rawPost('/decide', body, JSON_CT);
    assert.equal(r.status, 200, r.text);
    assert.equal(({} as any).polluted, undefined, 'Object.prototype is untouched');
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.deepEqual(Object.keys(rec.body.input.tool.arguments).sort(), ['__proto__', 'constructor']);
  });

  test('10,000 argument keys', async () => {
    const args = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const r = await h.decide({ tool: { name: 'x', arguments: args }, session: { id: 'many-keys' } });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(Object.keys(rec.body.input.tool.arguments).length, 10_000);
  });

  test('application/json with parameters and in upper case is accepted', async () => {
    for (const ct of ['application/json; charset=utf-8', 'Application/JSON']) {
      const r = await rawPost('/decide', '{"tool":{"name":"x"}}', { 'content-type': ct });
      assert.equal(r.status, 200, `${ct}: ${r.text}`);
    }
  });

  test('NUL and lone surrogates are stored as U+FFFD (documented) and the service keeps serving', async () => {
    const r = await rawPost('/decide', '{"tool":{"name":"a\\u0000b\\ud800"},"session":{"id":"nul-name"}}', JSON_CT);
    assert.equal(r.status, 200, r.text);
    const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
    assert.equal(rec.body.tool.name, 'a\ufffdb\ufffd');
  });

  test('a number too large for a double is decided (stored as null), not a 500', async () => {
    const r = await rawPost('/decide', '{"tool":{"name":"x","arguments":{"n":1e400}}}', JSON_CT);
    assert.equal(r.status, 200, r.text);
  });
});

// The same request must mean the same thing to the gateway, to Arbiter and to the MCP server.
// JSON.parse keeps the LAST duplicate key and replaces invalid UTF-8 with U+FFFD, so a body that
// another parser reads differently (first key wins / rejects bad UTF-8) is decided on different
// facts than the ones the downstream acts on. Refuse ambiguity (apps/pdp/src/http/json-body.ts).
describe('FAILS UNTIL FIXED: ambiguous bodies are refused', () => {
  test('duplicate keys (tool) → 400 invalid_json', () => expect400('{"tool":{"name":"read_file"},"tool":{"name":"rm_rf"}}', 'invalid_json').then(() => undefined));

  test('duplicate keys (tool.name) → 400 invalid_json', () => expect400('{"tool":{"name":"read_file","name":"rm_rf"}}', 'invalid_json').then(() => undefined));

  // Both body paths decode with replacement: the fast path (decide.fast-path.ts, Buffer#toString
  // for Content-Length bodies) and Fastify's parser (chunked bodies). Decode with
  // `new TextDecoder('utf-8', { fatal: true })` and answer invalid_json instead.
  const badUtf8 = () => Buffer.concat([Buffer.from('{"tool":{"name":"rm'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]);
  test('invalid UTF-8 with a Content-Length → 400', () => expect400(badUtf8(), ['invalid_json', 'invalid_request']).then(() => undefined));

  test('invalid UTF-8, chunked → 400 invalid_json', () => expect400(badUtf8(), ['invalid_json', 'invalid_request'], JSON_CT, true).then(() => undefined));

  // Fastify's built-in text/plain parser is still registered (only application/json was replaced
  // in app.factory.ts): a text/plain body reaches the validator as a string.
  test('text/plain → 415 unsupported_media_type', async () => {
    const r = await expect400('{"tool":{"name":"x"}}', 'unsupported_media_type', { 'content-type': 'text/plain' });
    assert.equal(r.status, 415);
  });
});

// README: "Errors are always {"error": {"code", "message", "details"?}}". Router-level failures
// (Fastify's default error handler: FST_ERR_MAX_PARAM_LENGTH) and shutdown 503s bypass the mapping.
describe('FAILS UNTIL FIXED: every error uses the documented error shape', () => {
  for (const path of ['/decisions/', '/sessions/']) {
    test(`GET ${path}<5000 chars> → 4xx with {error:{code,message}}`, async () => {
      const r = await h.request('GET', `${path}${'a'.repeat(5000)}`);
      assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
      assert.equal(typeof r.body?.error?.code, 'string', r.text.slice(0, 200));
      assert.ok(!r.text.includes('a'.repeat(200)), 'the oversized input is not echoed back');
    });
  }
});
