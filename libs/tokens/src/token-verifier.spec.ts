import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, base64url } from 'jose';
import { TokenVerifier } from './token-verifier';
import { checkAlgorithms } from './options';

const ISS = 'https://issuer.test';
const AUD = 'https://mcp.example/server';
let dir: string;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let other: Awaited<ReturnType<typeof generateKeyPair>>;
let verifier: TokenVerifier;
let publicJwk: Record<string, unknown>;

async function mint(claims: Record<string, unknown>, opts: { alg?: string; kid?: string; key?: unknown } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'k1' });
  if (!('iss' in claims)) jwt.setIssuer(ISS);
  if (!('aud' in claims)) jwt.setAudience(AUD);
  if (!('exp' in claims)) jwt.setExpirationTime('5m');
  return jwt.setIssuedAt().sign((opts.key ?? keys.privateKey) as Parameters<SignJWT['sign']>[0]);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokens-'));
  keys = await generateKeyPair('RS256', { extractable: true });
  other = await generateKeyPair('RS256', { extractable: true });
  publicJwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }));
  verifier = new TokenVerifier({
    jwksFile: join(dir, 'jwks.json'),
    issuers: [ISS],
    algorithms: ['RS256', 'ES256'],
    clockSkewS: 5,
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a valid token yields its verified claims', async () => {
  const t = await verifier.verify(await mint({ sub: 'alice' }), AUD);
  assert.equal(t.valid, true);
  assert.equal(t.source, 'jwt');
  assert.equal(t.claims?.sub, 'alice');
  assert.equal(t.error, null);
});

test('the audience must include the resource', async () => {
  const raw = await mint({ sub: 'alice', aud: ['https://other', AUD] });
  assert.equal((await verifier.verify(raw, AUD)).valid, true);
  const t = await verifier.verify(raw, 'https://mcp.example/else');
  assert.equal(t.valid, false);
  assert.equal(t.error?.code, 'token_audience');
  assert.equal((await verifier.verify(raw, null)).error?.code, 'token_audience');
});

test('expired tokens are rejected, also when cached', async () => {
  const now = Date.now();
  const raw = await mint({ sub: 'a', exp: Math.floor(now / 1000) + 60 });
  assert.equal((await verifier.verify(raw, AUD, now)).valid, true);
  const later = await verifier.verify(raw, AUD, now + 120_000);
  assert.equal(later.error?.code, 'token_expired');
  const old = await mint({ sub: 'a', exp: Math.floor(now / 1000) - 60 });
  assert.equal((await verifier.verify(old, AUD)).error?.code, 'token_expired');
});

test('the cache serves only the very token verified: its signature with another payload, or its payload with another signature, is verified and refused', async () => {
  const raw = await mint({ sub: 'alice' });
  const other = await mint({ sub: 'mallory' });
  const first = await verifier.verify(raw, AUD);
  const again = await verifier.verify(raw, AUD);
  assert.equal(again.valid, true);
  assert.equal(again.claims, first.claims, 'the second call is served from the cache (same claims object)');
  const [header, payload, signature] = raw.split('.');
  const otherPayload = other.split('.')[1];
  // The cached signature on mallory's payload (the cache key is the signature's digest).
  const swapped = await verifier.verify(`${header}.${otherPayload}.${signature}`, AUD);
  assert.equal(swapped.valid, false);
  assert.equal(swapped.error?.code, 'token_signature');
  assert.equal(swapped.claims, null);
  // The cached header.payload with another signature (first character changed: all its bits count).
  const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  const resigned = await verifier.verify(`${header}.${payload}.${forged}`, AUD);
  assert.equal(resigned.valid, false);
  assert.equal(resigned.error?.code, 'token_signature');
  // A suffix or prefix of the verified token is another token too.
  assert.equal((await verifier.verify(`${raw}x`, AUD)).valid, false);
  assert.equal((await verifier.verify(`x${raw}`, AUD)).valid, false);
  assert.equal((await verifier.verify(`${raw}.${signature}`, AUD)).valid, false);
  assert.equal((await verifier.verify(`${header}.${payload}`, AUD)).valid, false);
  assert.equal((await verifier.verify(raw, AUD)).valid, true);
});

test('the cache keeps no raw token: signatures only as their digest', async () => {
  const v = new TokenVerifier({ jwksFile: join(dir, 'jwks.json'), issuers: [ISS], algorithms: ['RS256'], clockSkewS: 5, cacheSize: 2 });
  const cache = (v as unknown as { cache: Map<string, { signed: string; claims: unknown }> }).cache;
  const raws = [await mint({ sub: 'a' }), await mint({ sub: 'b' }), await mint({ sub: 'c' })];
  for (const raw of raws) {
    assert.equal((await v.verify(raw, AUD)).valid, true);
    assert.ok(cache.size <= 2, 'bounded by cacheSize');
  }
  assert.ok(cache.size > 0);
  for (const [key, entry] of cache) {
    const raw = raws.find((r) => r.startsWith(entry.signed))!;
    const signature = raw.slice(raw.lastIndexOf('.') + 1);
    assert.equal(entry.signed, raw.slice(0, raw.lastIndexOf('.') + 1));
    assert.equal(key.includes(signature) || entry.signed.includes(signature), false);
    assert.equal(JSON.stringify(entry.claims).includes(signature), false);
  }
});

test('clock skew tolerates a just-expired token', async () => {
  const now = Date.now();
  const raw = await mint({ sub: 'a', exp: Math.floor(now / 1000) - 2 });
  assert.equal((await verifier.verify(raw, AUD, now)).valid, true);
});

test('nbf in the future is rejected', async () => {
  const raw = await mint({ sub: 'a', nbf: Math.floor(Date.now() / 1000) + 600 });
  assert.equal((await verifier.verify(raw, AUD)).error?.code, 'token_not_yet_valid');
});

test('an issuer outside the allowlist is rejected', async () => {
  const raw = await mint({ sub: 'a', iss: 'https://evil' });
  assert.equal((await verifier.verify(raw, AUD)).error?.code, 'token_issuer');
});

test('a token signed by another key fails the signature check', async () => {
  const raw = await mint({ sub: 'a' }, { key: other.privateKey });
  assert.equal((await verifier.verify(raw, AUD)).error?.code, 'token_signature');
});

test('alg none is rejected', async () => {
  const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k1' }));
  const exp = Math.floor(Date.now() / 1000) + 300;
  const payload = base64url.encode(JSON.stringify({ sub: 'a', iss: ISS, aud: AUD, exp }));
  const t = await verifier.verify(`${header}.${payload}.`, AUD);
  assert.equal(t.valid, false);
  assert.equal(t.error?.code, 'token_alg');
});

test('HS256 signed with the public key bytes is rejected', async () => {
  const pem = await exportSPKI(keys.publicKey);
  const secret = new TextEncoder().encode(pem);
  const raw = await mint({ sub: 'a' }, { alg: 'HS256', key: secret });
  const t = await verifier.verify(raw, AUD);
  assert.equal(t.valid, false);
  assert.equal(t.error?.code, 'token_alg');
});

test('garbage is malformed', async () => {
  assert.equal((await verifier.verify('not-a-jwt', AUD)).error?.code, 'token_malformed');
});

test('a PEM public key file works', async () => {
  writeFileSync(join(dir, 'key.pem'), await exportSPKI(keys.publicKey));
  const v = new TokenVerifier({ jwksFile: join(dir, 'key.pem'), issuers: [ISS], algorithms: ['RS256'], clockSkewS: 0 });
  assert.equal((await v.verify(await mint({ sub: 'p' }), AUD)).claims?.sub, 'p');
  const hs = await mint({ sub: 'a' }, { alg: 'HS256', key: new TextEncoder().encode(await exportSPKI(keys.publicKey)) });
  assert.equal((await v.verify(hs, AUD)).error?.code, 'token_alg');
});

test('without keys every token is invalid', async () => {
  const v = new TokenVerifier({ issuers: [], algorithms: ['RS256'], clockSkewS: 0 });
  assert.equal((await v.verify(await mint({}), AUD)).error?.code, 'token_key_unavailable');
});

test('algorithm allowlists refuse none and HMAC', () => {
  assert.match(checkAlgorithms(['none']) ?? '', /none/);
  assert.match(checkAlgorithms(['RS256', 'HS256']) ?? '', /HMAC/);
  assert.equal(checkAlgorithms(['RS256', 'EdDSA']), null);
  assert.throws(() => new TokenVerifier({ issuers: [], algorithms: ['HS256'], clockSkewS: 0 }));
});

test('a JWKS file with private or symmetric keys is refused', async () => {
  writeFileSync(join(dir, 'oct.json'), JSON.stringify({ keys: [{ kty: 'oct', k: 'abc' }] }));
  assert.throws(() => new TokenVerifier({ jwksFile: join(dir, 'oct.json'), issuers: [], algorithms: ['RS256'], clockSkewS: 0 }), /oct/);
});

/** Signs any payload text (JSON the jose builder would refuse or normalize: 1e999, "__proto__"). */
async function mintRaw(payloadJson: string): Promise<string> {
  const { CompactSign } = await import('jose');
  return new CompactSign(new TextEncoder().encode(payloadJson)).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(keys.privateKey);
}
const nowS = () => Math.floor(Date.now() / 1000);

test('a token without exp is invalid', async () => {
  const t = await verifier.verify(await mintRaw(JSON.stringify({ sub: 'a', iss: ISS, aud: AUD })), AUD);
  assert.equal(t.valid, false);
  assert.equal(t.error?.code, 'token_claims');
});

test('non-finite or non-numeric exp/nbf/iat are malformed, not expired', async () => {
  const base = `"sub":"a","iss":"${ISS}","aud":"${AUD}"`;
  const cases = [
    `{${base},"exp":1e999}`,
    `{${base},"exp":"${nowS() + 600}"}`,
    `{${base},"exp":${nowS() + 600},"nbf":-1e999}`,
    `{${base},"exp":${nowS() + 600},"iat":"yesterday"}`,
  ];
  for (const payload of cases) {
    const t = await verifier.verify(await mintRaw(payload), AUD);
    assert.equal(t.valid, false, payload);
    assert.equal(t.error?.code, 'token_malformed', payload);
  }
});

test('an iat in the future beyond the skew is invalid; within the skew it is fine', async () => {
  const future = await verifier.verify(await mintRaw(JSON.stringify({ sub: 'a', iss: ISS, aud: AUD, exp: nowS() + 600, iat: nowS() + 120 })), AUD);
  assert.equal(future.valid, false);
  assert.equal(future.error?.code, 'token_not_yet_valid');
  const near = await verifier.verify(await mintRaw(JSON.stringify({ sub: 'a', iss: ISS, aud: AUD, exp: nowS() + 600, iat: nowS() + 2 })), AUD);
  assert.equal(near.valid, true);
});

test('a "__proto__" claim is an ordinary claim: it supplies no inherited sub', async () => {
  const raw = await mintRaw(`{"iss":"${ISS}","aud":"${AUD}","exp":${nowS() + 600},"__proto__":{"sub":"mallory"}}`);
  for (let i = 0; i < 2; i++) {
    // second round: from the verified-token cache
    const t = await verifier.verify(raw, AUD);
    assert.equal(t.valid, true);
    const claims = t.claims as Record<string, unknown>;
    assert.equal(claims.sub, undefined);
    assert.equal(Object.getPrototypeOf(claims), Object.prototype);
    assert.deepEqual(Object.keys(claims), ['__proto__', 'aud', 'exp', 'iss']);
    assert.match(JSON.stringify(claims), /"__proto__":\{"sub":"mallory"\}/);
  }
});

test('audience: a trailing-slash variant of the resource only when enabled, both ways, and nothing else', async () => {
  const strict = await verifier.verify(await mint({ sub: 'a', aud: `${AUD}/` }), AUD);
  assert.equal(strict.error?.code, 'token_audience', 'exact match by default');
  const v = new TokenVerifier({ jwksFile: join(dir, 'jwks.json'), issuers: [ISS], algorithms: ['RS256'], clockSkewS: 5, audienceTrailingSlash: true });
  assert.equal((await v.verify(await mint({ sub: 'a', aud: `${AUD}/` }), AUD)).valid, true);
  assert.equal((await v.verify(await mint({ sub: 'a', aud: ['x', AUD] }), `${AUD}/`)).valid, true);
  for (const aud of [`${AUD}//`, `${AUD}/x`, AUD.toUpperCase(), `${AUD}#`, AUD.slice(0, -1)]) {
    assert.equal((await v.verify(await mint({ sub: 'a', aud }), AUD)).error?.code, 'token_audience', aud);
  }
  assert.equal((await v.verify(await mint({ sub: 'a', aud: AUD }), `${AUD}//`)).error?.code, 'token_audience');
});
