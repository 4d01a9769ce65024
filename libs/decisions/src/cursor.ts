// Opaque keyset cursor for list(): the (time, id) of the last row of a page, plus its order.
// base64url(JSON) — opaque to clients, strictly validated on the way back in.
import { InvalidCursorError } from './errors';

export interface CursorPosition {
  timeMs: number;
  id: string;
  order: 'asc' | 'desc';
}

const MAX_CURSOR_LENGTH = 1024;

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, t: pos.timeMs, i: pos.id, o: pos.order }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: unknown): CursorPosition {
  if (typeof cursor !== 'string' || cursor.length === 0) throw new InvalidCursorError('must be a non-empty string');
  if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError('too long');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor issued by this service');
  }
  const c = parsed as { v?: unknown; t?: unknown; i?: unknown; o?: unknown } | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    c.v !== 1 ||
    typeof c.t !== 'number' ||
    !Number.isSafeInteger(c.t) ||
    !Number.isFinite(new Date(c.t).getTime()) ||
    typeof c.i !== 'string' ||
    c.i.length === 0 ||
    (c.o !== 'asc' && c.o !== 'desc')
  ) {
    throw new InvalidCursorError('not a cursor issued by this service');
  }
  return { timeMs: c.t, id: c.i, order: c.o };
}
