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
    return this.buf.subarray(this.start, this.end);
  }

  push(step: Uint8Array): void {
    const comma = this.lengths.length > 0 ? 1 : 0;
    if (this.end + comma + step.length > this.buf.length) this.regrow(comma + step.length);
    if (comma) this.buf[this.end++] = 0x2c; // ,
    this.buf.set(step, this.end);
    this.end += step.length;
    this.lengths.push(step.length);
  }

  /** Drops the oldest steps so that at most `max` remain. */
  keepLast(max: number): void {
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
