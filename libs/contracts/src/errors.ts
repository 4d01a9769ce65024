// Typed errors carried as data: every transport maps `code` to its own status (HTTP, gRPC…).

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'invalid_query'
  | 'body_too_large'
  | 'body_too_deep'
  | 'unsupported_media_type'
  | 'claims_not_allowed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'decision_log_unavailable'
  | 'policy_reload_failed'
  | 'shutting_down'
  | 'internal_error';

/** HTTP status for each code (kept here so every transport agrees on the class of error). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_query: 400,
  body_too_large: 400,
  body_too_deep: 400,
  unsupported_media_type: 415,
  claims_not_allowed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  decision_log_unavailable: 503,
  policy_reload_failed: 422,
  shutting_down: 503,
  internal_error: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class ArbiterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ArbiterError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}
