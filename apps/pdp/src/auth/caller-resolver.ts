// Authenticates callers by API key (Authorization: Bearer <key> or x-api-key); keys are only
// compared as SHA-256 hashes. With no keys configured every caller is the anonymous gateway+admin.
import { ArbiterError, type Caller } from '@arbiter/contracts';
import { hashApiKey, type ApiKeyEntry } from '../config/api-keys';

const ANONYMOUS: Caller = Object.freeze({ name: 'anonymous', role: 'anonymous', trusted: false, canDecide: true, canAdmin: true });

export class CallerResolver {
  private readonly byHash = new Map<string, Caller>();

  constructor(keys: ApiKeyEntry[]) {
    for (const k of keys) {
      this.byHash.set(k.hash, Object.freeze({
        name: k.name,
        role: k.role,
        trusted: k.trusted,
        canDecide: k.role === 'gateway',
        canAdmin: k.role === 'admin',
      }));
    }
  }

  get open(): boolean {
    return this.byHash.size === 0;
  }

  resolve(headers: Record<string, string | string[] | undefined>): Caller {
    if (this.byHash.size === 0) return ANONYMOUS;
    const key = presentedKey(headers);
    if (key === null) throw new ArbiterError('unauthenticated', 'an API key is required (Authorization: Bearer <key> or x-api-key)');
    const caller = this.byHash.get(hashApiKey(key));
    if (!caller) throw new ArbiterError('unauthenticated', 'the API key is not valid');
    return caller;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = BEARER.exec(auth);
    if (m) return m[1];
  }
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x.trim() !== '') return x.trim();
  return null;
}
