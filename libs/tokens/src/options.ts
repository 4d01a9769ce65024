// Settings of the JWT verifier (filled from the service configuration).

export interface TokenVerifierOptions {
  /** Remote JWKS; keys cached and refetched when a token names an unknown kid. */
  jwksUrl?: string;
  /** Local key file: a JWKS document (JSON) or a PEM public key / X.509 certificate. */
  jwksFile?: string;
  /** Accepted `iss` values; empty means any issuer (the service refuses that at boot). */
  issuers: string[];
  /** Accepted `alg` values; `none` and HMAC algorithms are refused at construction. */
  algorithms: string[];
  /** Tolerance for exp/nbf, in seconds. */
  clockSkewS: number;
  /** Remote JWKS fetch timeout in ms (default 1000; ARBITER_JWKS_TIMEOUT_MS). */
  jwksTimeoutMs?: number;
  /** Seconds past their 10-minute refresh age that cached remote keys still verify while the endpoint fails (default 3600; ARBITER_JWKS_STALE_S). */
  jwksStaleS?: number;
  /**
   * Also accept an `aud` that differs from the resource only by one trailing slash, either way
   * (`…/billing/` for `…/billing` and back). Off by default: exact match (RFC 8707). ARBITER_JWT_AUD_TRAILING_SLASH.
   */
  audienceTrailingSlash?: boolean;
  /** Verified tokens kept (by hash) so repeated tokens skip the signature check. */
  cacheSize?: number;
}

// Below the /decide deadline (ARBITER_DECIDE_TIMEOUT_MS, 2000): a hung JWKS endpoint must end in a recorded
// token_key_unavailable deny, not in a 503 for the whole decision.
export const DEFAULT_JWKS_TIMEOUT_MS = 1_000;
export const DEFAULT_JWKS_STALE_S = 3_600;

export const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];

/** Public-key algorithms Arbiter can verify; HMAC is excluded because keys come from JWKS/PEM. */
export const SUPPORTED_ALGORITHMS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA', 'Ed25519',
];

/** Returns an error message for an unacceptable algorithm list, or null. */
export function checkAlgorithms(algs: string[]): string | null {
  if (algs.length === 0) return 'at least one algorithm is required';
  for (const alg of algs) {
    if (alg.toLowerCase() === 'none') return 'alg "none" is never accepted';
    if (/^HS\d+$/i.test(alg)) return `HMAC algorithm ${alg} is not accepted (keys are public keys)`;
    if (!SUPPORTED_ALGORITHMS.includes(alg)) return `unsupported algorithm ${alg}`;
  }
  return null;
}
