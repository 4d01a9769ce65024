// UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Decision ids made this
// way arrive in roughly increasing order, so the log's primary-key index grows at its end
// instead of dirtying a random page per inserted record (fewer pages written per commit).
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

export function uuidv7(nowMs: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  // Written in place in the pool (no Buffer view per id).
  const o = offset;
  offset += 16;
  pool.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, o, 6);
  pool[o + 6] = (pool[o + 6] & 0x0f) | 0x70;
  pool[o + 8] = (pool[o + 8] & 0x3f) | 0x80;
  const h = pool.toString('hex', o, o + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
