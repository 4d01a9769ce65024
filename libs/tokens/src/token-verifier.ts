// Verifies raw JWTs and reports the outcome as data (`input.token`); the policy decides.
import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import { sortedKeys, type TokenInput } from '@arbiter/contracts';
import { createKeyResolver, type KeyResolver } from './key-source';
import { mapJoseError } from './error-mapping';
import { checkAlgorithms, type TokenVerifierOptions } from './options';

/**
 * A verified token, cached under the SHA-256 of its signature segment. `signed` is the rest of
 * the token (`header.payload.`, public data: the claims in base64url), compared exactly on a
 * hit: digest and text together match only the very token that was verified, while only the
 * signature (a short segment) is hashed per request and the raw token is never kept (without
 * its signature, `signed` is no bearer credential).
 */
interface CachedToken {
  signed: string;
  claims: JWTPayload;
}

const NO_TOKEN: TokenInput = Object.freeze({
  present: false,
  valid: false,
  source: 'none',
  claims: null,
  error: null,
}) as TokenInput;

export class TokenVerifier {
  private readonly resolver: KeyResolver | null;
  private readonly cache = new Map<string, CachedToken>();
  private readonly cacheSize: number;

  constructor(private readonly opts: TokenVerifierOptions) {
    const algError = checkAlgorithms(opts.algorithms);
    if (algError) throw new Error(`token algorithms: ${algError}`);
    this.resolver = createKeyResolver(opts);
    this.cacheSize = opts.cacheSize ?? 10_000;
  }

  get hasKeys(): boolean {
    return this.resolver !== null;
  }

  /** The `input.token` for a request without a token. */
  static none(): TokenInput {
    return { ...NO_TOKEN };
  }

  /** The `input.token` for claims vouched for by a trusted gateway. */
  static fromGateway(claims: Record<string, unknown>): TokenInput {
    return { present: true, valid: true, source: 'gateway', claims, error: null };
  }

  /**
   * Verifies signature, algorithm, issuer, exp/nbf and that `aud` includes `resource`.
   * Never throws: failures come back as `{valid:false, error}`.
   */
  async verify(raw: string, resource: string | null, nowMs = Date.now()): Promise<TokenInput> {
    if (!this.resolver) {
      return invalid('token_key_unavailable', 'no token verification keys are configured');
    }
    // The dot before the signature: the second one (a compact JWS has exactly two, and only those
    // verify and get cached; forward indexOf is cheaper than lastIndexOf). Any split would do
    // for exactness: equal text before it and equal digests after it mean the same token.
    const dot = raw.indexOf('.', raw.indexOf('.') + 1);
    const signed = raw.slice(0, dot + 1); // '' without a second dot (malformed: never cached)
    const cacheKey = tokenDigest(raw.slice(dot + 1));
    const hit = this.cache.get(cacheKey);
    let claims = hit !== undefined && hit.signed === signed ? hit.claims : undefined;
    if (!claims) {
      try {
        // Keys sorted once per token: the policy evaluates sorted objects faster (no re-sort in Wasm).
        const payload = await this.verifySignature(raw, nowMs);
        const dateError = checkNumericDates(payload);
        if (dateError) return dateError;
        claims = sortedKeys(payload) as JWTPayload;
      } catch (err) {
        const e = mapJoseError(err);
        return invalid(e.code, e.message);
      }
      this.remember(cacheKey, signed, claims);
    }
    const timeError = checkTime(claims, nowMs, this.opts.clockSkewS);
    if (timeError) return timeError;
    if (!audienceIncludes(claims.aud, resource, this.opts.audienceTrailingSlash === true)) {
      return invalid(
        'token_audience',
        resource ? 'token audience does not include the resource' : 'request names no resource to match the token audience',
      );
    }
    return { present: true, valid: true, source: 'jwt', claims: claims as Record<string, unknown>, error: null };
  }

  private async verifySignature(raw: string, nowMs: number): Promise<JWTPayload> {
    const options = {
      algorithms: this.opts.algorithms,
      issuer: this.opts.issuers.length > 0 ? this.opts.issuers : undefined,
      clockTolerance: this.opts.clockSkewS,
      // RFC 9068 access tokens always carry exp; without it a token would be valid forever.
      requiredClaims: ['exp'],
      currentDate: new Date(nowMs),
    };
    const result =
      typeof this.resolver === 'function'
        ? await jwtVerify(raw, this.resolver, options)
        : await jwtVerify(raw, this.resolver!, options);
    return result.payload;
  }

  private remember(key: string, signed: string, claims: JWTPayload): void {
    // Only tokens with an expiry are cached, so a cache hit always re-checks a real deadline.
    if (typeof claims.exp !== 'number') return;
    // A copy: the slice of the raw token may share its storage, which would keep the whole
    // token (signature included) alive in the cache. Text the copy cannot hold (beyond latin1,
    // never base64url) is not cached.
    const copy = Buffer.from(signed, 'latin1').toString('latin1');
    if (copy !== signed) return;
    if (this.cache.size >= this.cacheSize) this.cache.clear();
    this.cache.set(key, { signed: copy, claims });
  }
}

// crypto.hash (Node >= 20.12) hashes in one call, without a Hash object per request.
const oneShotHash = (crypto as { hash?: (alg: string, data: string, enc: 'base64') => string }).hash;

/** Cache key of a token: the SHA-256 of its signature segment (see CachedToken). */
function tokenDigest(signature: string): string {
  return oneShotHash ? oneShotHash('sha256', signature, 'base64') : createHash('sha256').update(signature).digest('base64');
}

/** exp/nbf/iat must be finite numbers (1e999 parses as Infinity; a string is not a NumericDate). */
function checkNumericDates(claims: JWTPayload): TokenInput | null {
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (!Object.prototype.hasOwnProperty.call(claims, name)) continue;
    const v = claims[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return invalid('token_malformed', `the "${name}" claim is not a finite NumericDate`);
    }
  }
  return null;
}

function invalid(code: string, message: string): TokenInput {
  return { present: true, valid: false, source: 'jwt', claims: null, error: { code, message } };
}

function checkTime(claims: JWTPayload, nowMs: number, skewS: number): TokenInput | null {
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || now - skewS >= claims.exp) {
    return invalid('token_expired', 'token has expired');
  }
  if (typeof claims.nbf === 'number' && now + skewS < claims.nbf) {
    return invalid('token_not_yet_valid', 'token is not yet valid (nbf)');
  }
  if (typeof claims.iat === 'number' && now + skewS < claims.iat) {
    return invalid('token_not_yet_valid', 'token is issued in the future (iat)');
  }
  return null;
}

function audienceIncludes(aud: unknown, resource: string | null, trailingSlash: boolean): boolean {
  if (!resource) return false;
  if (typeof aud === 'string') return audienceMatches(aud, resource, trailingSlash);
  if (Array.isArray(aud)) {
    for (let i = 0; i < aud.length; i++) if (audienceMatches(aud[i], resource, trailingSlash)) return true;
  }
  return false;
}

function audienceMatches(a: unknown, resource: string, trailingSlash: boolean): boolean {
  return a === resource || (trailingSlash && typeof a === 'string' && slashVariant(a, resource));
}

/** a and b differ only by one trailing "/" on one side (not "//", not other normalization). */
function slashVariant(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length > 0 && !short.endsWith('/') && long === `${short}/`;
}
