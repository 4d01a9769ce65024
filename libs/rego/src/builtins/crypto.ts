// Hashes and HMACs (hex digests of the UTF-8 bytes), and a constant-time MAC comparison.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HostBuiltin } from './types';
import { str } from './values';

function hash(name: string, algo: string): HostBuiltin {
  const fn = `crypto.${name}`;
  return (x: unknown) => createHash(algo).update(str(fn, 1, x), 'utf8').digest('hex');
}

function hmac(algo: string): HostBuiltin {
  const fn = `crypto.hmac.${algo}`;
  return (x: unknown, key: unknown) => createHmac(algo, Buffer.from(str(fn, 2, key), 'utf8')).update(str(fn, 1, x), 'utf8').digest('hex');
}

function hmacEqual(a: unknown, b: unknown): boolean {
  const x = Buffer.from(str('crypto.hmac.equal', 1, a), 'utf8');
  const y = Buffer.from(str('crypto.hmac.equal', 2, b), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const CRYPTO_BUILTINS: Record<string, HostBuiltin> = {
  'crypto.md5': hash('md5', 'md5'),
  'crypto.sha1': hash('sha1', 'sha1'),
  'crypto.sha256': hash('sha256', 'sha256'),
  'crypto.hmac.md5': hmac('md5'),
  'crypto.hmac.sha1': hmac('sha1'),
  'crypto.hmac.sha256': hmac('sha256'),
  'crypto.hmac.sha512': hmac('sha512'),
  'crypto.hmac.equal': hmacEqual,
};
