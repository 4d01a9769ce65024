// One mapping from any error to `{error:{code,message}}` + status, for Nest and for Fastify's
// own failures (body parsing happens before Nest sees the request).
import { HttpException } from '@nestjs/common';
import { ArbiterError, type ErrorBody, type ErrorCode } from '@arbiter/contracts';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['body_too_large', 'request body is larger than the configured limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'request body is empty'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'content-length does not match the body'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'request body is not valid JSON'],
  FST_ERR_MAX_PARAM_LENGTH: ['invalid_request', 'a path parameter is too long'],
  FST_ERR_BAD_URL: ['invalid_request', 'the request URL is malformed'],
  FST_ERR_ASYNC_CONSTRAINT: ['invalid_request', 'the request could not be routed'],
};

export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof ArbiterError) return { status: err.status, body: err.toBody() };
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && FASTIFY_CODES[code]) {
    const [c, message] = FASTIFY_CODES[code];
    return fromCode(c, message);
  }
  if (err instanceof SyntaxError) return fromCode('invalid_json', 'request body is not valid JSON');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 404) return fromCode('not_found', 'no such route');
    if (status === 401) return fromCode('unauthenticated', err.message);
    if (status === 403) return fromCode('forbidden', err.message);
    if (status === 413) return fromCode('body_too_large', 'request body is larger than the configured limit');
    if (status === 415) return fromCode('unsupported_media_type', err.message);
    if (status >= 400 && status < 500) return { status, body: { error: { code: 'invalid_request', message: err.message } } };
  }
  const statusCode = (err as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // Framework messages may quote the request (URL, headers): never echo them back.
    const detail = typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? ` (${code})` : '';
    return { status: statusCode, body: { error: { code: 'invalid_request', message: `bad request${detail}` } } };
  }
  return fromCode('internal_error', 'internal error');
}

function fromCode(code: ErrorCode, message: string): ErrorResponse {
  const e = new ArbiterError(code, message);
  return { status: e.status, body: e.toBody() };
}
