import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { RemoteKeySet, KeysUnavailableError } from './remote-key-set';
import { mapJoseError } from './error-mapping';
import { TokenVerifier } from './token-verifier';

let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let jwk: Record<string, unknown>;
let server: Server;
let url: URL;
let mode: 'ok' | '500' | 'hang' | 'junk' = 'ok';
let hits = 0;

before(async () => {
  keys = await generateKeyPair('RS256', { extractable: true });
  jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
  server = createServer((_req, res) => {
    hits++;
    if (mode === 'ok') res.end(JSON.stringify({ keys: [jwk] }));
    else if (mode === '500') {
      res.statusCode = 500;
      res.end('down');
    } else if (mode === 'junk') res.end('<html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
});
after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

const header = { alg: 'RS256', kid: 'k1' };
const token = { payload: '', signature: '' } as never;
function set(now: { t: number }, over: Partial<ConstructorParameters<typeof RemoteKeySet>[1]> = {}) {
  return new RemoteKeySet(url, {
    timeoutMs: 300, maxAgeMs: 60_000, staleMs: 30_000, cooldownMs: 10_000, backoffMs: 1_000, maxBackoffMs: 8_000,
    now: () => now.t, ...over,
  });
}

test('non-200, junk and timeouts are KeysUnavailableError → token_key_unavailable', async () => {
  for (const m of ['500', 'junk', 'hang'] as const) {
    mode = m;
    const t0 = Date.now();
    const err = await set({ t: 0 }).getKey(header, token).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof KeysUnavailableError, `${m}: ${String(err)}`);
    assert.equal(mapJoseError(err).code, 'token_key_unavailable');
    assert.ok(Date.now() - t0 < 2000, `${m} bounded by the timeout`);
  }
  mode = 'ok';
});

test('after a failure the endpoint is not refetched until the back-off passes (doubling)', async () => {
  mode = '500';
  hits = 0;
  const now = { t: 0 };
  const ks = set(now);
  for (let i = 0; i < 10; i++) await assert.rejects(ks.getKey(header, token), KeysUnavailableError);
  assert.equal(hits, 1);
  now.t = 1_001;
  await assert.rejects(ks.getKey(header, token), KeysUnavailableError);
  assert.equal(hits, 2);
  now.t = 2_500; // second back-off is 2 s
  await assert.rejects(ks.getKey(header, token), KeysUnavailableError);
  assert.equal(hits, 2);
  mode = 'ok';
  now.t = 3_100;
  assert.ok(await ks.getKey(header, token));
  assert.equal(hits, 3);
});

test('stale keys verify during an outage for the grace period, then not', async () => {
  mode = 'ok';
  const now = { t: 0 };
  const ks = set(now);
  assert.ok(await ks.getKey(header, token));
  mode = '500';
  now.t = 60_001 + 20_000; // past maxAge, within the 30 s grace
  assert.ok(await ks.getKey(header, token));
  now.t = 60_001 + 31_000;
  await assert.rejects(ks.getKey(header, token), KeysUnavailableError);
  mode = 'ok';
});

test('concurrent requests share one fetch; an unknown kid refetches at most once per cooldown', async () => {
  mode = 'ok';
  hits = 0;
  const now = { t: 0 };
  const ks = set(now);
  await Promise.all(Array.from({ length: 20 }, () => ks.getKey(header, token)));
  assert.equal(hits, 1);
  for (let i = 0; i < 5; i++) await assert.rejects(ks.getKey({ alg: 'RS256', kid: `x${i}` }, token));
  assert.equal(hits, 1);
  now.t = 10_001;
  await assert.rejects(ks.getKey({ alg: 'RS256', kid: 'y' }, token));
  assert.equal(hits, 2);
});

test('TokenVerifier with a remote JWKS verifies, and reports an outage as token_key_unavailable', async () => {
  mode = 'ok';
  const v = new TokenVerifier({ jwksUrl: url.href, issuers: ['https://iss'], algorithms: ['RS256'], clockSkewS: 0, jwksTimeoutMs: 300 });
  const raw = await new SignJWT({ sub: 'a' }).setProtectedHeader(header).setIssuer('https://iss').setAudience('https://r').setExpirationTime('5m').sign(keys.privateKey);
  assert.equal((await v.verify(raw, 'https://r')).valid, true);
  mode = '500';
  const v2 = new TokenVerifier({ jwksUrl: url.href, issuers: ['https://iss'], algorithms: ['RS256'], clockSkewS: 0 });
  assert.equal((await v2.verify(raw, 'https://r')).error?.code, 'token_key_unavailable');
  mode = 'ok';
});
