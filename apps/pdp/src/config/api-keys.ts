// API key entries `name:role[:trusted]:sha256hex` (only hashes are configured or kept).
import * as crypto from 'node:crypto';

export type KeyRole = 'gateway' | 'admin';

export interface ApiKeyEntry {
  name: string;
  role: KeyRole;
  trusted: boolean;
  /** Lower-case hex SHA-256 of the key. */
  hash: string;
}

// crypto.hash (Node >= 20.12) hashes in one call: every authenticated request hashes its key.
const oneShotHash = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

export function hashApiKey(key: string): string {
  return oneShotHash ? oneShotHash('sha256', key, 'hex') : crypto.createHash('sha256').update(key).digest('hex');
}

/** Parses comma- or newline-separated entries; `#` starts a comment line. Pushes problems. */
export function parseApiKeys(text: string, origin: string, problems: string[]): ApiKeyEntry[] {
  const out: ApiKeyEntry[] = [];
  const items = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
  for (const item of items) {
    const parts = item.split(':');
    const bad = (why: string) => problems.push(`${origin}: entry "${redactEntry(item)}": ${why} (expected name:role[:trusted]:sha256hex)`);
    if (parts.length !== 3 && parts.length !== 4) {
      bad('wrong number of fields');
      continue;
    }
    const [name, role] = parts;
    const hash = parts[parts.length - 1].toLowerCase();
    const flag = parts.length === 4 ? parts[2] : '';
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) bad('name must be 1-64 of [A-Za-z0-9_.-]');
    else if (role !== 'gateway' && role !== 'admin') bad('role must be gateway or admin');
    else if (flag !== '' && flag !== 'trusted') bad('the optional third field must be "trusted"');
    else if (flag === 'trusted' && role !== 'gateway') bad('only a gateway can be trusted');
    else if (!/^[0-9a-f]{64}$/.test(hash)) bad('the key must be given as 64 hex digits of its SHA-256');
    else if (out.some((e) => e.name === name)) bad('duplicate name');
    else if (out.some((e) => e.hash === hash)) bad('duplicate key');
    else out.push({ name, role, trusted: flag === 'trusted', hash });
  }
  return out;
}

function redactEntry(item: string): string {
  return item.replace(/[0-9a-fA-F]{16,}/g, (h) => h.slice(0, 6) + '…');
}
