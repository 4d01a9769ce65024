// A session's history as one growing UTF-8 buffer: the steps' JSON joined by commas. The policy
// input gets the history with a single copy (not one per step), and the cache holds one buffer
// and one array of lengths per session instead of an object per step.
// Snapshots (`json()`) stay valid: appending writes past their end and dropping old steps only
// moves the start; when the buffer must grow, the steps move to a new one.

const MIN_CAPACITY = 1024;

export class StepBuffer {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** json() of the current state (dropped when the state changes). */
  private snapshot: Uint8Array | null = null;
  /** Byte length of each step, oldest first. */
  private readonly lengths: number[] = [];

  constructor(steps: readonly Uint8Array[] = []) {
    let total = 0;
    for (const s of steps) total += s.length + 1;
    this.buf = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, total));
    for (const s of steps) this.push(s);
  }

  get count(): number {
    return this.lengths.length;
  }

  /** The steps joined by commas (no brackets); unchanged by later push/shift. */
  json(): Uint8Array {
    // One view per state, not one per call (a session is read once per decision).
    return (this.snapshot ??= this.buf.subarray(this.start, this.end));
  }

  push(step: Uint8Array): void {
    this.snapshot = null;
    const comma = this.lengths.length > 0 ? 1 : 0;
    if (this.end + comma + step.length > this.buf.length) this.regrow(comma + step.length);
    if (comma) this.buf[this.end++] = 0x2c; // ,
    this.buf.set(step, this.end);
    this.end += step.length;
    this.lengths.push(step.length);
  }

  /** push() of the step's JSON text, encoded as UTF-8 straight into the buffer (no Buffer per step). */
  pushText(step: string): void {
    this.snapshot = null;
    const comma = this.lengths.length > 0 ? 1 : 0;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; the exact length is counted only when that
    // bound does not fit (so the buffer grows exactly as push() of the encoded bytes would).
    if (this.end + comma + step.length * 3 > this.buf.length) {
      const bytes = comma + Buffer.byteLength(step, 'utf8');
      if (this.end + bytes > this.buf.length) this.regrow(bytes);
    }
    if (comma) this.buf[this.end++] = 0x2c; // ,
    const written = this.buf.write(step, this.end, 'utf8');
    this.end += written;
    this.lengths.push(written);
  }

  /** Drops the oldest steps so that at most `max` remain. */
  keepLast(max: number): void {
    this.snapshot = null;
    while (this.lengths.length > max) {
      const len = this.lengths.shift()!;
      // The step and the comma after it (the last step has none).
      this.start = this.lengths.length > 0 ? this.start + len + 1 : this.end;
    }
  }

  /**
   * A fresh buffer (old snapshots keep the old one) with room for half the live size again:
   * at most 1.5x the live bytes are held, and a capped history that slides forward is copied
   * once per half of its size appended.
   */
  private regrow(extra: number): void {
    const live = this.end - this.start;
    const next = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, live + extra + (live >> 1)));
    this.buf.copy(next, 0, this.start, this.end);
    this.buf = next;
    this.start = 0;
    this.end = live;
  }
}
