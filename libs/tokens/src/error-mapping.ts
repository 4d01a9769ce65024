// Maps jose's exceptions onto the token error codes the policy sees.
import { errors } from 'jose';
import type { TokenErrorCode } from '@arbiter/contracts';
import { KeysUnavailableError } from './remote-key-set';

export interface TokenError {
  code: TokenErrorCode;
  message: string;
}

export function mapJoseError(err: unknown): TokenError {
  if (err instanceof KeysUnavailableError) return { code: 'token_key_unavailable', message: 'verification keys are unavailable' };
  if (err instanceof errors.JWTExpired) return { code: 'token_expired', message: 'token has expired' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    // A claim of the wrong type ("invalid") or absent ("missing") is a malformed token, not a failed check.
    if (err.reason !== 'check_failed' && err.claim !== 'iss' && err.claim !== 'aud') {
      return err.reason === 'missing'
        ? { code: 'token_claims', message: `required claim "${err.claim}" is missing` }
        : { code: 'token_malformed', message: `the "${err.claim}" claim is invalid` };
    }
    switch (err.claim) {
      case 'iss':
        return { code: 'token_issuer', message: 'token issuer is not allowed' };
      case 'aud':
        return { code: 'token_audience', message: 'token audience does not include the resource' };
      case 'nbf':
        return { code: 'token_not_yet_valid', message: 'token is not yet valid (nbf)' };
      case 'exp':
        return { code: 'token_expired', message: 'token has expired' };
      default:
        return { code: 'token_claims', message: `claim check failed: ${err.claim}` };
    }
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return { code: 'token_alg', message: 'token algorithm is not allowed' };
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return { code: 'token_signature', message: 'token signature is invalid' };
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return { code: 'token_signature', message: 'no verification key matches the token' };
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return { code: 'token_key_unavailable', message: 'verification keys are unavailable' };
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    return { code: 'token_malformed', message: 'token is malformed' };
  }
  if (err instanceof TypeError && /fetch|network|ECONN/i.test(err.message)) {
    return { code: 'token_key_unavailable', message: 'verification keys are unavailable' };
  }
  if (err instanceof TypeError) {
    // jose throws TypeError when the key type does not fit the alg (e.g. HS256 with a public key).
    return { code: 'token_alg', message: 'token algorithm does not match the verification key' };
  }
  return { code: 'token_malformed', message: 'token could not be verified' };
}
