// POST /decide straight off Node's HTTP server, in front of Fastify (installed with the
// adapter's serverFactory). Fastify's per-request work for a body — an AsyncResource per
// content-type parse (whose bind() builds two deprecation wrappers on Node 20), the route's
// hook chain, reply serialization — cost ~15 us of main-thread CPU per decision. The fast path
// takes only the plain case: `application/json` with a Content-Length within the body limit and
// no Transfer-Encoding. Everything else (other routes, chunked or oversized bodies, other
// content types, shutdown) goes to Fastify unchanged, which keeps its errors and 503s.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArbiterError } from '@arbiter/contracts';
import type { Runtime } from '../runtime';
import { decodeUtf8Body, parseJsonBody } from '../http/json-body';
import { toErrorResponse } from '../http/error-response';

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
const CONTENT_LENGTH = /^\d{1,10}$/;

export class DecideFastPath {
  /** Set when the app starts closing: the server then answers every new request 503 shutting_down. */
  closing = false;

  constructor(private readonly runtime: Runtime) {}

  /** Handles the request if it is a plain JSON POST /decide; false = not taken, pass it on. */
  take(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.closing || req.method !== 'POST' || req.url !== '/decide') return false;
    const h = req.headers;
    const type = h['content-type'];
    // The exact common value skips the regular expression.
    if (type === undefined || (type !== 'application/json' && !JSON_TYPE.test(type)) || h['transfer-encoding'] !== undefined) return false;
    const lengthHeader = h['content-length'];
    if (lengthHeader === undefined || !CONTENT_LENGTH.test(lengthHeader)) return false;
    const length = Number(lengthHeader);
    if (length > this.runtime.config.bodyLimit) return false;
    this.read(req, res, length);
    return true;
  }

  private read(req: IncomingMessage, res: ServerResponse, length: number): void {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received <= length) chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (received !== length) {
        this.fail(res, new ArbiterError('invalid_request', 'content-length does not match the body'));
        return;
      }
      void this.answer(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    });
  }

  // Same order and error mapping as the Fastify route (decide.route.ts): the caller is checked
  // before the body is decoded or parsed (an unauthenticated client gets no parser work), and
  // only the use-case's own refusals count as `rejected`.
  private async answer(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const { callers, decide, metrics, config } = this.runtime;
    try {
      const caller = callers.resolve(req.headers);
      if (!caller.canDecide) throw new ArbiterError('forbidden', `caller ${caller.name} (${caller.role}) may not request decisions`);
      const body = parseJsonBody(decodeUtf8Body(raw), config.maxDepth);
      let outcome;
      try {
        outcome = await decide.decide(body, caller);
      } catch (err) {
        if (err instanceof ArbiterError) metrics.rejected.labels(err.code).inc();
        throw err;
      }
      send(res, outcome.status, JSON.stringify(outcome.body));
    } catch (err) {
      this.fail(res, err);
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) this.runtime.logger.error({ err, code: body.error.code }, 'request failed');
    send(res, status, JSON.stringify(body));
  }
}

function send(res: ServerResponse, status: number, json: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
