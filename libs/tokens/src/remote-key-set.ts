// A remote JWKS with the outage behaviour jose's RemoteJWKSet lacks: a bounded fetch, back-off
// after a failed fetch (no refetch per request while the endpoint is down) and stale keys served
// for a grace period during an outage.
import { createLocalJWKSet, errors, type JWK, type JWTVerifyGetKey } from 'jose';

export interface RemoteKeySetOptions {
  /** Abort a fetch after this many ms. */
  timeoutMs: number;
  /** Keys older than this are refetched (a failure keeps using them within the grace period). */
  maxAgeMs: number;
  /** How long past maxAgeMs cached keys still verify while the endpoint fails. */
  staleMs: number;
  /** An unknown kid refetches at most once per this many ms (key rotation). */
  cooldownMs: number;
  /** First back-off after a failed fetch; doubles per consecutive failure up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** The keys could not be obtained (network error, timeout, non-200, bad document). */
export class KeysUnavailableError extends Error {
  readonly code = 'token_key_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'KeysUnavailableError';
  }
}

const MAX_DOC_BYTES = 1024 * 1024;
type GetKey = (header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => ReturnType<JWTVerifyGetKey>;

export class RemoteKeySet {
  private local: GetKey | null = null;
  private fetchedAt = -Infinity;
  private lastAttempt = -Infinity;
  private failures = 0;
  private retryAt = -Infinity;
  private lastError: KeysUnavailableError | null = null;
  private inflight: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly url: URL, private readonly opts: RemoteKeySetOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The jose key resolver. */
  readonly getKey = async (header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => {
    const t = this.now();
    if (!this.local || t - this.fetchedAt > this.opts.maxAgeMs) {
      try {
        await this.refresh();
      } catch (err) {
        // Outage: keep verifying with the last good keys for the grace period.
        if (!this.local || t - this.fetchedAt > this.opts.maxAgeMs + this.opts.staleMs) throw err;
      }
    }
    try {
      return await this.local!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || this.now() - this.lastAttempt < this.opts.cooldownMs) throw err;
      try {
        await this.refresh(); // maybe rotated
      } catch {
        throw err;
      }
      return this.local!(header, token);
    }
  };

  private refresh(): Promise<void> {
    if (this.now() < this.retryAt && this.lastError) return Promise.reject(this.lastError);
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttempt = this.now();
    try {
      const doc = await this.download();
      this.local = createLocalJWKSet(doc) as GetKey;
      this.fetchedAt = this.now();
      this.failures = 0;
      this.retryAt = -Infinity;
      this.lastError = null;
    } catch (err) {
      this.failures++;
      const backoff = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** Math.min(this.failures - 1, 20));
      this.retryAt = this.now() + backoff;
      this.lastError = err instanceof KeysUnavailableError ? err : new KeysUnavailableError(`JWKS fetch failed: ${(err as Error).message}`);
      throw this.lastError;
    }
  }

  private async download(): Promise<{ keys: JWK[] }> {
    const f = this.opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await f(this.url, { signal: AbortSignal.timeout(this.opts.timeoutMs), headers: { accept: 'application/json' }, redirect: 'error' });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw new KeysUnavailableError(timedOut ? `JWKS fetch timed out after ${this.opts.timeoutMs} ms` : `JWKS fetch failed: ${(err as Error).message}`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new KeysUnavailableError(`JWKS endpoint answered HTTP ${res.status}`);
    }
    const text = await res.text();
    if (text.length > MAX_DOC_BYTES) throw new KeysUnavailableError('JWKS document too large');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new KeysUnavailableError('JWKS document is not JSON');
    }
    const keys = (doc as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new KeysUnavailableError('JWKS document has no "keys" array');
    // Only public asymmetric keys verify tokens.
    const usable = keys.filter((k): k is JWK => !!k && typeof k === 'object' && (k as JWK).kty !== 'oct' && !('d' in (k as object)));
    return { keys: usable };
  }
}
