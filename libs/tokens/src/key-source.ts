// Resolves the verification key for a token header: remote JWKS, local JWKS file or PEM file.
import { readFileSync } from 'node:fs';
import { createPublicKey, KeyObject } from 'node:crypto';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_JWKS_STALE_S, DEFAULT_JWKS_TIMEOUT_MS, type TokenVerifierOptions } from './options';
import { RemoteKeySet } from './remote-key-set';

export type KeyResolver = JWTVerifyGetKey | KeyObject;

/** Builds the key resolver once at boot; returns null when no key source is configured. */
export function createKeyResolver(opts: TokenVerifierOptions): KeyResolver | null {
  if (opts.jwksUrl) {
    return new RemoteKeySet(new URL(opts.jwksUrl), {
      timeoutMs: opts.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
      maxAgeMs: 10 * 60_000,
      staleMs: (opts.jwksStaleS ?? DEFAULT_JWKS_STALE_S) * 1000,
      cooldownMs: 30_000,
      backoffMs: 1_000,
      maxBackoffMs: 30_000,
    }).getKey as JWTVerifyGetKey;
  }
  if (opts.jwksFile) return loadKeyFile(opts.jwksFile);
  return null;
}

function loadKeyFile(file: string): KeyResolver {
  const text = readFileSync(file, 'utf8');
  if (text.includes('-----BEGIN')) {
    const key = createPublicKey(text);
    if (key.type !== 'public') throw new Error(`${file}: expected a public key`);
    return key;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not a PEM key and not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { keys?: unknown }).keys)) {
    throw new Error(`${file}: a JWKS document needs a "keys" array`);
  }
  const keys = (doc as { keys: Array<Record<string, unknown>> }).keys;
  if (keys.some((k) => k.kty === 'oct')) {
    throw new Error(`${file}: symmetric (oct) keys are not accepted`);
  }
  if (keys.some((k) => 'd' in k)) {
    throw new Error(`${file}: the JWKS contains private key material; give public keys only`);
  }
  return createLocalJWKSet(doc as { keys: [] });
}
