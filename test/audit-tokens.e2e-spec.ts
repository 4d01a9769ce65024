// Audit: JWT verification as an attacker would probe it (algorithm confusion, header tricks, time
// and audience edges, identity taken from claims), remote JWKS outages, and the raw token never
// reaching logs or the database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { KeyObject, createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { startChild } from './support/child-service';
import { MAIN_POLICY } from './support/test-policies';

const ISS = 'https://issuer.audit.test';
const AUD = 'https://mcp.audit.test/github';
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** An RSA key with a hand-rolled signer, so headers jose refuses to produce (crit, jwk…) can be built. */
function rsaKey(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
  const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const signRaw = (header: Record<string, unknown>, payload: unknown): string => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${rsaSign('sha256', Buffer.from(input), privateKey as KeyObject).toString('base64url')}`;
  };
  return { kid, jwk, pem, signRaw };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({ iss: ISS, aud: AUD, sub: 'alice', client_id: 'client-1', iat: now(), exp: now() + 600, ...over });

let dir: string;
let key: ReturnType<typeof rsaKey>;
let attacker: ReturnType<typeof rsaKey>;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-audit-tokens-'));
  key = rsaKey('audit-key');
  attacker = rsaKey('audit-key');
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [key.jwk] }));
  writeFileSync(join(dir, 'key.pem'), key.pem);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Decides with `token` and returns the answer plus the recorded input.token and identity. */
async function verdict(h: Harness, token: string, resource = AUD) {
  const r = await h.decide({ tool: { name: 'read_file' }, token, resource, session: { id: `tok-${Math.random().toString(36).slice(2)}` } });
  assert.equal(r.status, 200, r.text);
  const rec = await h.request('GET', `/decisions/${r.body.decision_id}`);
  assert.equal(rec.status, 200, rec.text);
  return { decision: r.body.decision as string, token: rec.body.input.token, subject: rec.body.subject as string | null, clientId: rec.body.client_id as string | null };
}

async function expectRejected(h: Harness, token: string, codes: string[], resource = AUD) {
  const v = await verdict(h, token, resource);
  assert.equal(v.decision, 'deny');
  assert.equal(v.token.valid, false);
  assert.equal(v.token.claims, null, 'no unverified claims reach the policy');
  assert.equal(v.subject, null, 'an invalid token binds no identity');
  assert.ok(codes.includes(v.token.error?.code), `error ${JSON.stringify(v.token.error)} not in ${codes.join('|')}`);
}

for (const source of ['JWKS file', 'PEM file'] as const) {
  describe(`token verification with a ${source} (already correct)`, () => {
    let h: Harness;
    before(async () => {
      h = await startArbiter({
        policies: { 'p.rego': MAIN_POLICY },
        env: {
          ARBITER_POLICY_WATCH: 'false',
          ARBITER_JWKS_FILE: join(dir, source === 'JWKS file' ? 'jwks.json' : 'key.pem'),
          ARBITER_JWT_ISSUERS: ISS,
          ARBITER_CLOCK_SKEW_S: '30',
        },
      });
    });
    after(() => h?.close());

    test('a good token is valid and binds the identity', async () => {
      const v = await verdict(h, key.signRaw({ alg: 'RS256', kid: key.kid, typ: 'JWT' }, claims()));
      assert.equal(v.decision, 'allow');
      assert.equal(v.token.valid, true);
      assert.equal(v.subject, 'alice');
      assert.equal(v.clientId, 'client-1');
    });

    test('alg none', () => expectRejected(h, `${b64({ alg: 'none', kid: key.kid })}.${b64(claims())}.`, ['token_alg']));

    test('alg NONE / None spellings', async () => {
      for (const alg of ['NONE', 'None', 'nOnE']) await expectRejected(h, `${b64({ alg, kid: key.kid })}.${b64(claims())}.`, ['token_alg', 'token_malformed']);
    });

    test('HS256 signed with the public key PEM (key confusion)', async () => {
      const input = `${b64({ alg: 'HS256', kid: key.kid })}.${b64(claims())}`;
      await expectRejected(h, `${input}.${createHmac('sha256', key.pem).update(input).digest('base64url')}`, ['token_alg']);
    });

    test('an unknown critical header', () => expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid, crit: ['x-must-understand'], 'x-must-understand': true }, claims()), ['token_malformed', 'token_claims']));

    test('b64:false (unencoded payload) is refused', () => expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid, crit: ['b64'], b64: false }, claims()), ['token_malformed']));

    test('a kid with path traversal / SQL / a huge value', async () => {
      for (const kid of ['../../../../etc/passwd', "x' OR '1'='1", 'k'.repeat(5000)]) {
        const body = key.signRaw({ alg: 'RS256', kid }, claims());
        const v = await verdict(h, body);
        // A PEM file has one key and ignores kid (the signature still has to verify); a JWKS must not match.
        if (source === 'PEM file') assert.equal(v.token.valid, true);
        else {
          assert.equal(v.token.valid, false);
          assert.equal(v.token.error.code, 'token_signature');
        }
      }
    });

    test('a signature by a key embedded in the header (jwk) or referenced by jku/x5u is not trusted', async () => {
      await expectRejected(h, attacker.signRaw({ alg: 'RS256', kid: key.kid, jwk: attacker.jwk }, claims()), ['token_signature']);
      await expectRejected(h, attacker.signRaw({ alg: 'RS256', kid: key.kid, jku: 'http://127.0.0.1:1/jwks', x5u: 'http://127.0.0.1:1/x5u' }, claims()), ['token_signature']);
    });

    test('the payload swapped under a valid signature', async () => {
      const [hd, , sig] = key.signRaw({ alg: 'RS256', kid: key.kid }, claims()).split('.');
      await expectRejected(h, `${hd}.${b64(claims({ sub: 'root' }))}.${sig}`, ['token_signature']);
    });

    test('exp and nbf honour the skew (30 s) and no more', async () => {
      assert.equal((await verdict(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ exp: now() - 10 })))).token.valid, true);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ exp: now() - 60 })), ['token_expired']);
      assert.equal((await verdict(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ nbf: now() + 10 })))).token.valid, true);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ nbf: now() + 120 })), ['token_not_yet_valid']);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ exp: String(now() + 600) })), ['token_expired', 'token_claims', 'token_malformed']);
    });

    test('audience: arrays must contain the resource; no resource → no match', async () => {
      assert.equal((await verdict(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ aud: ['https://other', AUD] })))).token.valid, true);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ aud: ['https://other', 'https://third'] })), ['token_audience']);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ aud: undefined })), ['token_audience']);
      await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ aud: `${AUD}/` })), ['token_audience']);
      const noResource = await h.decide({ tool: { name: 'read_file' }, token: key.signRaw({ alg: 'RS256', kid: key.kid }, claims()) });
      const rec = await h.request('GET', `/decisions/${noResource.body.decision_id}`);
      assert.equal(rec.body.input.token.error.code, 'token_audience');
    });

    test('issuer: not in the allowlist, missing, an array, or a prefix', async () => {
      for (const iss of ['https://evil.test', undefined, [ISS], `${ISS}.evil.test`, ISS.toUpperCase()]) {
        await expectRejected(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ iss })), ['token_issuer']);
      }
    });

    test('garbage tokens', async () => {
      for (const t of ['..', 'a.b.c', 'a.b.c.d.e', `${b64('x')}.${b64(claims())}.sig`, `${b64({ alg: 'RS256', kid: key.kid })}.${b64('[1,2]')}.x`]) {
        await expectRejected(h, t, ['token_malformed', 'token_signature']);
      }
    });
  });
}

describe('FAILS UNTIL FIXED: what the verifier must also refuse', () => {
  let h: Harness;
  before(async () => {
    h = await startArbiter({
      policies: { 'p.rego': MAIN_POLICY },
      env: { ARBITER_POLICY_WATCH: 'false', ARBITER_JWKS_FILE: join(dir, 'jwks.json'), ARBITER_JWT_ISSUERS: ISS },
    });
  });
  after(() => h?.close());

  // jose only checks exp when present; libs/tokens/src/token-verifier.ts verifySignature should pass
  // requiredClaims: ['exp'] (RFC 9068 access tokens always carry exp). Today such a token is valid forever.
  test('a token without exp is not valid', async () => {
    const v = await verdict(h, key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ exp: undefined })));
    assert.equal(v.token.valid, false, 'a bearer token without exp never expires');
    assert.equal(v.decision, 'deny');
  });

  // sortedKeys (libs/tokens/src/token-verifier.ts) assigns out['__proto__'] = …, which sets the
  // prototype: the policy sees claims without sub/client_id while callerIdentity() reads the
  // inherited ones, so the record's subject and the session owner are an identity the verified
  // claims never stated.
  test('a "__proto__" claim cannot supply the subject or client id', async () => {
    const payload = `{"iss":"${ISS}","aud":"${AUD}","exp":${now() + 600},"__proto__":{"sub":"mallory","client_id":"victim-client"}}`;
    // JSON.parse keeps "__proto__" as an own key, so signRaw serializes it into the payload.
    const token = key.signRaw({ alg: 'RS256', kid: key.kid }, JSON.parse(payload));
    const v = await verdict(h, token);
    assert.notEqual(v.subject, 'mallory');
    assert.notEqual(v.clientId, 'victim-client');
  });
});

/** A JWKS endpoint whose behaviour the test switches; counts fetches. */
function jwksServer() {
  let mode: 'ok' | 'hang' | '500' = 'ok';
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    if (mode === 'ok') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [key.jwk] }));
    } else if (mode === '500') {
      res.statusCode = 500;
      res.end('upstream down');
    }
    // 'hang': never answers
  });
  return {
    server,
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    },
    set mode(m: 'ok' | 'hang' | '500') {
      mode = m;
    },
    get hits() {
      return hits;
    },
    reset() {
      hits = 0;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('remote JWKS', () => {
  const jwks = jwksServer();
  let url: string;
  before(async () => {
    url = await jwks.listen();
  });
  after(() => jwks.close());

  const start = () => startArbiter({ policies: { 'p.rego': MAIN_POLICY }, env: { ARBITER_POLICY_WATCH: 'false', ARBITER_JWKS_URL: url, ARBITER_JWT_ISSUERS: ISS } });
  const good = () => key.signRaw({ alg: 'RS256', kid: key.kid }, claims());

  test('a JWKS endpoint that never answers: /decide fails closed within a bounded time (already correct)', async () => {
    jwks.mode = 'hang';
    const h = await start();
    try {
      const t0 = Date.now();
      const v = await verdict(h, good());
      const ms = Date.now() - t0;
      assert.equal(v.decision, 'deny');
      assert.equal(v.token.error.code, 'token_key_unavailable');
      assert.ok(ms < 8000, `took ${ms} ms`);
    } finally {
      await h.close();
      jwks.mode = 'ok';
    }
  });

  test('unknown kids do not trigger a refetch per token (already correct)', async () => {
    jwks.mode = 'ok';
    const h = await start();
    try {
      assert.equal((await verdict(h, good())).token.valid, true);
      jwks.reset();
      const tokens = Array.from({ length: 25 }, (_, i) => key.signRaw({ alg: 'RS256', kid: `rotated-${i}` }, claims()));
      await Promise.all(tokens.map((t) => h.decide({ tool: { name: 'x' }, token: t, resource: AUD })));
      for (const t of tokens.slice(0, 5)) await h.decide({ tool: { name: 'x' }, token: t, resource: AUD });
      assert.ok(jwks.hits <= 1, `${jwks.hits} JWKS fetches for 30 unknown-kid tokens`);
    } finally {
      await h.close();
    }
  });

  // mapJoseError (libs/tokens/src/error-mapping.ts) maps jose's generic JOSEError for a non-200
  // JWKS answer to token_malformed: the token is fine, the keys are unavailable.
  test('FAILS UNTIL FIXED: a JWKS endpoint answering 500 gives token_key_unavailable', async () => {
    jwks.mode = '500';
    const h = await start();
    try {
      const v = await verdict(h, good());
      assert.equal(v.decision, 'deny');
      assert.equal(v.token.error.code, 'token_key_unavailable');
    } finally {
      await h.close();
      jwks.mode = 'ok';
    }
  });

  // jose's RemoteJWKSet has no negative caching: while the endpoint fails, EVERY /decide with a
  // token refetches (and, when it hangs, waits the full 5 s timeout). Back off after a failure
  // (libs/tokens/src/key-source.ts: wrap the resolver, remember the failure for a few seconds).
  test('FAILS UNTIL FIXED: a failing JWKS endpoint is not refetched by every request', async () => {
    jwks.mode = '500';
    const h = await start();
    try {
      jwks.reset();
      for (let i = 0; i < 10; i++) await h.decide({ tool: { name: 'x' }, token: good(), resource: AUD });
      assert.ok(jwks.hits <= 3, `${jwks.hits} JWKS fetches for 10 requests during an outage`);
    } finally {
      await h.close();
      jwks.mode = 'ok';
    }
  });
});

describe('the raw token never reaches logs or the database (already correct)', () => {
  test('debug-level logs and the SQLite files hold no token', async () => {
    const work = mkdtempSync(join(tmpdir(), 'arbiter-audit-leak-'));
    try {
      mkdirSync(join(work, 'policies'));
      writeFileSync(join(work, 'policies', 'p.rego'), MAIN_POLICY);
      const svc = await startChild({
        ARBITER_POLICIES: join(work, 'policies'),
        ARBITER_DATA_DIR: join(work, 'data'),
        ARBITER_JWKS_FILE: join(dir, 'jwks.json'),
        ARBITER_JWT_ISSUERS: ISS,
        ARBITER_LOG_LEVEL: 'trace',
        ARBITER_POLICY_WATCH: 'false',
      });
      const tokens = [
        key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ sub: 'leak-check-valid' })),
        key.signRaw({ alg: 'RS256', kid: key.kid }, claims({ exp: now() - 3600, sub: 'leak-check-expired' })),
        attacker.signRaw({ alg: 'RS256', kid: key.kid }, claims({ sub: 'leak-check-forged' })),
        `${b64({ alg: 'none' })}.${b64(claims({ sub: 'leak-check-none' }))}.`,
      ];
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${svc.url}/decide`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      for (const t of tokens) {
        await post(JSON.stringify({ tool: { name: 'x' }, token: t, resource: AUD }));
        await post(JSON.stringify({ tool: { name: 'x' }, token: t, resource: AUD, unknown_field: 1 })); // 400 path
        await post(JSON.stringify({ tool: { name: 'x' }, token: t }).slice(0, -2)); // invalid JSON path
        await post(JSON.stringify({ tool: { name: 'x' }, token: t }), { authorization: `Bearer ${t}` }); // token as API key
      }
      await new Promise((r) => setTimeout(r, 200));
      svc.child.kill('SIGTERM');
      await new Promise((r) => svc.child.once('exit', r));
      const logs = svc.output();
      const files = readdirSync(join(work, 'data')).map((f) => readFileSync(join(work, 'data', f)));
      for (const t of tokens) {
        const [, payload, sig] = t.split('.');
        assert.ok(!logs.includes(payload), 'token payload in logs');
        if (sig) assert.ok(!logs.includes(sig.slice(0, 40)), 'token signature in logs');
        for (const f of files) {
          assert.ok(!f.includes(payload), 'token payload in the database files');
          if (sig) assert.ok(!f.includes(sig.slice(0, 40)), 'token signature in the database files');
        }
      }
      assert.match(logs, /"level":20/, 'debug lines were written (the check is meaningful)');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
