// io.jwt.* builtins. Host builtins must be synchronous (opa-wasm calls them from inside
// evaluate), and jose's verification API is async, so signatures are checked with node:crypto
// (createPublicKey accepts PEM keys, X.509 certificates and JWKs; verify is synchronous).

import { constants, createHmac, createPublicKey, KeyObject, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import type { HostBuiltin } from './types';
import { BuiltinError } from './types';
import { evalContext } from './context';
import { isObject, JsonObject, obj, str } from './values';

interface Token {
  header: JsonObject;
  payload: JsonObject;
  signature: Buffer;
  signingInput: string;
}

function b64urlJson(fn: string, part: string, what: string): JsonObject {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new BuiltinError(fn, `JWT ${what} is not base64url`);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new BuiltinError(fn, `JWT ${what} is not valid JSON`);
  }
  if (!isObject(v)) throw new BuiltinError(fn, `JWT ${what} must be a JSON object`);
  return v;
}

function parseToken(fn: string, jwt: unknown): Token {
  const s = str(fn, 1, jwt);
  const parts = s.split('.');
  if (parts.length !== 3) throw new BuiltinError(fn, 'encoded JWT had no period separators');
  const header = b64urlJson(fn, parts[0], 'header');
  if ('enc' in header) throw new BuiltinError(fn, 'JWT is a JWE (encrypted), which is not supported');
  if (!/^[A-Za-z0-9_-]*$/.test(parts[2])) throw new BuiltinError(fn, 'JWT signature is not base64url');
  return {
    header,
    payload: b64urlJson(fn, parts[1], 'payload'),
    signature: Buffer.from(parts[2], 'base64url'),
    signingInput: `${parts[0]}.${parts[1]}`,
  };
}

function decode(jwt: unknown): unknown[] {
  const t = parseToken('io.jwt.decode', jwt);
  return [t.header, t.payload, t.signature.toString('hex')];
}

interface PublicKeyEntry {
  key: KeyObject;
  kid?: string;
}

/** A PEM key/certificate, a JWK, or a JWK set → candidate public keys. */
function publicKeys(fn: string, material: string): PublicKeyEntry[] {
  const text = material.trim();
  try {
    if (text.startsWith('-----BEGIN')) return [{ key: createPublicKey(text) }];
    const parsed: unknown = JSON.parse(text);
    const jwks = isObject(parsed) && Array.isArray(parsed.keys) ? parsed.keys : [parsed];
    return jwks.map((jwk) => {
      if (!isObject(jwk)) throw new Error('JWK must be an object');
      return { key: createPublicKey({ key: jwk as never, format: 'jwk' }), kid: typeof jwk.kid === 'string' ? jwk.kid : undefined };
    });
  } catch (e) {
    throw new BuiltinError(fn, `failed to parse a PEM or JWK key (set): ${(e as Error).message}`);
  }
}

type Family = 'RS' | 'PS' | 'ES' | 'HS';
const ALGS: Record<string, { family: Family; hash: string }> = {
  RS256: { family: 'RS', hash: 'sha256' },
  RS384: { family: 'RS', hash: 'sha384' },
  RS512: { family: 'RS', hash: 'sha512' },
  PS256: { family: 'PS', hash: 'sha256' },
  PS384: { family: 'PS', hash: 'sha384' },
  PS512: { family: 'PS', hash: 'sha512' },
  ES256: { family: 'ES', hash: 'sha256' },
  ES384: { family: 'ES', hash: 'sha384' },
  ES512: { family: 'ES', hash: 'sha512' },
  HS256: { family: 'HS', hash: 'sha256' },
  HS384: { family: 'HS', hash: 'sha384' },
  HS512: { family: 'HS', hash: 'sha512' },
};

function verifyWithKey(alg: string, t: Token, key: KeyObject): boolean {
  const a = ALGS[alg];
  const data = Buffer.from(t.signingInput, 'utf8');
  try {
    switch (a.family) {
      case 'RS':
        return key.asymmetricKeyType === 'rsa' && cryptoVerify(a.hash, data, key, t.signature);
      case 'PS':
        return (
          (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') &&
          cryptoVerify(a.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, t.signature)
        );
      case 'ES':
        return key.asymmetricKeyType === 'ec' && cryptoVerify(a.hash, data, { key, dsaEncoding: 'ieee-p1363' }, t.signature);
      default:
        return false;
    }
  } catch {
    return false; // a key of the wrong kind or curve does not verify
  }
}

function verifyHmac(alg: string, t: Token, secret: string): boolean {
  const mac = createHmac(ALGS[alg].hash, Buffer.from(secret, 'utf8')).update(t.signingInput, 'utf8').digest();
  return mac.length === t.signature.length && timingSafeEqual(mac, t.signature);
}

function verifyAsymmetric(fn: string, alg: string, t: Token, material: string): boolean {
  let keys = publicKeys(fn, material);
  const kid = t.header.kid;
  if (typeof kid === 'string' && keys.some((k) => k.kid === kid)) keys = keys.filter((k) => k.kid === kid);
  return keys.some((k) => verifyWithKey(alg, t, k.key));
}

function verifier(alg: string): HostBuiltin {
  const fn = `io.jwt.verify_${alg.toLowerCase()}`;
  return (jwt: unknown, material: unknown) => {
    const t = parseToken(fn, jwt);
    const m = str(fn, 2, material);
    return ALGS[alg].family === 'HS' ? verifyHmac(alg, t, m) : verifyAsymmetric(fn, alg, t, m);
  };
}

const CONSTRAINT_KEYS = new Set(['cert', 'secret', 'alg', 'iss', 'aud', 'time']);

function nsOf(seconds: number): bigint {
  return BigInt(Math.round(seconds * 1000)) * 1_000_000n;
}

function decodeVerify(jwt: unknown, constraints: unknown): unknown[] {
  const fn = 'io.jwt.decode_verify';
  const c = obj(fn, 2, constraints);
  for (const k of Object.keys(c)) if (!CONSTRAINT_KEYS.has(k)) throw new BuiltinError(fn, `unknown token validation constraint: ${k}`);
  if (c.cert !== undefined && c.secret !== undefined) throw new BuiltinError(fn, 'duplicate key constraints: both cert and secret');
  if (c.cert === undefined && c.secret === undefined) throw new BuiltinError(fn, 'no key material (cert or secret) in constraints');
  if (c.cert !== undefined && typeof c.cert !== 'string') throw new BuiltinError(fn, 'cert constraint must be a string', 'eval_type_error');
  if (c.secret !== undefined && typeof c.secret !== 'string') throw new BuiltinError(fn, 'secret constraint must be a string', 'eval_type_error');
  const now =
    c.time === undefined ? evalContext().nowNs : typeof c.time === 'bigint' ? c.time : typeof c.time === 'number' ? BigInt(Math.trunc(c.time)) : undefined;
  if (now === undefined) throw new BuiltinError(fn, 'time constraint must be a number', 'eval_type_error');

  const invalid = [false, {}, {}];
  const t = parseToken(fn, jwt);
  const alg = t.header.alg;
  if (typeof alg !== 'string' || !ALGS[alg]) return invalid;
  if (c.alg !== undefined && c.alg !== alg) return invalid;
  const family = ALGS[alg].family;
  const ok =
    family === 'HS'
      ? typeof c.secret === 'string' && verifyHmac(alg, t, c.secret)
      : typeof c.cert === 'string' && verifyAsymmetric(fn, alg, t, c.cert);
  if (!ok) return invalid;

  const p = t.payload;
  if (p.exp !== undefined && (typeof p.exp !== 'number' || now >= nsOf(p.exp))) return invalid;
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || now < nsOf(p.nbf))) return invalid;
  if (c.iss !== undefined && p.iss !== c.iss) return invalid;
  if (p.aud !== undefined) {
    if (typeof c.aud !== 'string') return invalid;
    const auds = Array.isArray(p.aud) ? p.aud : [p.aud];
    if (!auds.includes(c.aud)) return invalid;
  } else if (c.aud !== undefined) return invalid;
  return [true, t.header, p];
}

export const JWT_BUILTINS: Record<string, HostBuiltin> = {
  'io.jwt.decode': decode,
  'io.jwt.decode_verify': decodeVerify,
  ...Object.fromEntries(Object.keys(ALGS).map((alg) => [`io.jwt.verify_${alg.toLowerCase()}`, verifier(alg)])),
};
