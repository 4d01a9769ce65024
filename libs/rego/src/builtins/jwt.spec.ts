import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, exportJWK, type CryptoKey, type KeyObject as JoseKey } from 'jose';
import { call, fails } from './test-helpers';
import { EvalContext, withEvalContext } from './context';

// Tokens are signed by jose (an independent implementation) and verified by our node:crypto code.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const ecPem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const secret = 'top-secret-hmac-key';
const NOW_S = 1700000000;

async function sign(alg: string, key: unknown, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'alice', ...claims }).setProtectedHeader({ alg, ...header }).sign(key as CryptoKey | JoseKey | Uint8Array);
}

test('io.jwt.decode returns [header, payload, signature hex]', async () => {
  const t = await sign('HS256', new TextEncoder().encode(secret), { n: 1 });
  const [header, payload, sig] = call('io.jwt.decode', t) as [Record<string, unknown>, Record<string, unknown>, string];
  assert.equal(header.alg, 'HS256');
  assert.deepEqual(payload, { sub: 'alice', n: 1 });
  assert.match(sig, /^[0-9a-f]{64}$/);
  fails('io.jwt.decode', ['not-a-jwt'], 'eval_builtin_error');
  fails('io.jwt.decode', ['a.b.c'], 'eval_builtin_error');
  fails('io.jwt.decode', [5], 'eval_type_error');
});

test('verify_rs256 / verify_es256 / verify_hs256 with PEM, JWK and JWKS', async () => {
  const rs = await sign('RS256', rsa.privateKey);
  const es = await sign('ES256', ec.privateKey);
  const hs = await sign('HS256', new TextEncoder().encode(secret));
  assert.equal(call('io.jwt.verify_rs256', rs, rsaPem), true);
  assert.equal(call('io.jwt.verify_rs256', rs, ecPem), false);
  assert.equal(call('io.jwt.verify_es256', es, ecPem), true);
  assert.equal(call('io.jwt.verify_es256', es, rsaPem), false);
  assert.equal(call('io.jwt.verify_hs256', hs, secret), true);
  assert.equal(call('io.jwt.verify_hs256', hs, 'wrong'), false);
  const jwk = await exportJWK(rsa.publicKey);
  assert.equal(call('io.jwt.verify_rs256', rs, JSON.stringify(jwk)), true);
  const ecJwk = await exportJWK(ec.publicKey);
  assert.equal(call('io.jwt.verify_es256', es, JSON.stringify({ keys: [jwk, ecJwk] })), true);
  // Tampered payload.
  const parts = rs.split('.');
  parts[1] = Buffer.from(JSON.stringify({ sub: 'mallory' })).toString('base64url');
  assert.equal(call('io.jwt.verify_rs256', parts.join('.'), rsaPem), false);
  fails('io.jwt.verify_rs256', [rs, 'not a key'], 'eval_builtin_error');
});

test('PS256 and ES384 verification', async () => {
  const ps = await sign('PS256', rsa.privateKey);
  assert.equal(call('io.jwt.verify_ps256', ps, rsaPem), true);
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const es = await sign('ES384', ec384.privateKey);
  assert.equal(call('io.jwt.verify_es384', es, ec384.publicKey.export({ type: 'spki', format: 'pem' })), true);
});

test('io.jwt.decode_verify checks signature, alg, exp/nbf, iss and aud', async () => {
  const key = new TextEncoder().encode(secret);
  const time = BigInt(NOW_S) * 1_000_000_000n;
  const good = await sign('HS256', key, { iss: 'idp', aud: 'arbiter', exp: NOW_S + 60, nbf: NOW_S - 60 });
  const ok = call('io.jwt.decode_verify', good, { secret, iss: 'idp', aud: 'arbiter', time }) as unknown[];
  assert.equal(ok[0], true);
  assert.equal((ok[2] as Record<string, unknown>).sub, 'alice');
  const invalid = [false, {}, {}];
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret: 'nope', aud: 'arbiter', time }), invalid);
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, aud: 'arbiter', time: time + 61_000_000_000n }), invalid);
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, aud: 'arbiter', time: time - 61_000_000_000n }), invalid);
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, aud: 'arbiter', iss: 'other', time }), invalid);
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, time }), invalid); // token has aud, none required
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, aud: 'x', time }), invalid);
  assert.deepEqual(call('io.jwt.decode_verify', good, { secret, aud: 'arbiter', alg: 'RS256', time }), invalid);
  const rs = await sign('RS256', rsa.privateKey, { exp: NOW_S + 60 });
  assert.equal((call('io.jwt.decode_verify', rs, { cert: rsaPem, time }) as unknown[])[0], true);
  assert.deepEqual(call('io.jwt.decode_verify', rs, { secret, time }), invalid); // HS key for an RS token
  fails('io.jwt.decode_verify', [rs, { time }], 'eval_builtin_error', /no key material/);
  fails('io.jwt.decode_verify', [rs, { cert: rsaPem, bogus: 1 }], 'eval_builtin_error', /unknown/);
});

test('decode_verify defaults time to the evaluation clock', async () => {
  const key = new TextEncoder().encode(secret);
  const t = await sign('HS256', key, { exp: NOW_S + 60 });
  const at = (s: number) => withEvalContext(new EvalContext({ nowNs: BigInt(s) * 1_000_000_000n }), () => (call('io.jwt.decode_verify', t, { secret }) as unknown[])[0]);
  assert.equal(at(NOW_S), true);
  assert.equal(at(NOW_S + 120), false);
});
