// How a batch's rows travel to the SQLite writer thread: written into shared memory that the
// thread reads, instead of a structured clone of the row arrays (which copied every ~2 KB record
// inside V8's serializer, ~2-3 us per record of main-thread CPU). Two shared buffers:
//   cells: per cell a tag byte (0 null, 1 number, 2 string) and a float64 (the number, or the
//          string's length in UTF-16 units)
//   text:  the UTF-8 bytes of all strings of the batch, one after another
// The thread turns the whole text into ONE string with one decode and cuts the cells out of it
// by their lengths (slices share the decoded string: no copy, no call per cell). The lengths
// hold after the round trip: encodeInto writes a lone surrogate as U+FFFD, also one unit.
// Each encoder (its `id` travels with the batch) owns its buffers and the thread keeps one
// decoder per encoder. An encoder is reused only after the thread answered its batch (decoded
// as soon as the message arrived), so the next batch may overwrite the buffers; a batch that
// does not fit gets larger ones, sent along with its message.
import type { Cell } from './rows';

const NULL = 0;
const NUMBER = 1;
const STRING = 2;
const INITIAL_CELLS = 16 * 1024;
const INITIAL_TEXT = 1 << 20;
/** Strings up to this length are copied by a JS loop when ASCII (cheaper than calling encodeInto). */
const SHORT = 64;

/** The shared buffers and the counts the thread needs to read a batch. */
export interface EncodedBatch {
  cells: number;
  textBytes: number;
  /** Set when the buffers changed since the previous batch (the thread must be sent them). */
  buffers?: { tags: SharedArrayBuffer; numbers: SharedArrayBuffer; text: SharedArrayBuffer };
}

export class RowEncoder {
  private tags = new Uint8Array(new SharedArrayBuffer(INITIAL_CELLS));
  private numbers = new Float64Array(new SharedArrayBuffer(INITIAL_CELLS * 8));
  private text = new Uint8Array(new SharedArrayBuffer(INITIAL_TEXT));
  private readonly utf8 = new TextEncoder();
  private cells = 0;
  private textBytes = 0;
  private changed = true;

  /** `id` names this encoder's buffers to the thread, which keeps one decoder per encoder. */
  constructor(readonly id = 0) {}

  /** Starts a batch; `fresh` forces new buffers (the current ones may still be read). */
  reset(fresh = false): void {
    this.cells = 0;
    this.textBytes = 0;
    if (fresh) {
      this.growCells(0);
      this.growText(0);
    }
  }

  rows(rows: Cell[][]): void {
    for (const row of rows) {
      if (this.cells + row.length > this.tags.length) this.growCells(row.length);
      for (const cell of row) this.cell(cell);
    }
  }

  /** The batch written so far; `buffers` only when the thread does not hold them yet. */
  finish(): EncodedBatch {
    const batch: EncodedBatch = { cells: this.cells, textBytes: this.textBytes };
    if (this.changed) {
      batch.buffers = { tags: this.tags.buffer as SharedArrayBuffer, numbers: this.numbers.buffer as SharedArrayBuffer, text: this.text.buffer as SharedArrayBuffer };
      this.changed = false;
    }
    return batch;
  }

  private cell(v: Cell): void {
    const i = this.cells++;
    if (v === null) {
      this.tags[i] = NULL;
    } else if (typeof v === 'number') {
      this.tags[i] = NUMBER;
      this.numbers[i] = v;
    } else {
      this.tags[i] = STRING;
      this.numbers[i] = v.length;
      this.string(v);
    }
  }

  private string(v: string): void {
    if (v.length <= SHORT && this.text.length - this.textBytes >= SHORT && this.ascii(v)) {
      this.textBytes += v.length;
      return;
    }
    for (;;) {
      const { read, written } = this.utf8.encodeInto(v, this.text.subarray(this.textBytes));
      if (read === v.length) {
        this.textBytes += written;
        return;
      }
      this.growText(v.length * 3); // at most 3 bytes per UTF-16 unit
    }
  }

  /** Writes `v` at the end of the text if it is all ASCII; false (nothing usable written) otherwise. */
  private ascii(v: string): boolean {
    const text = this.text;
    const at = this.textBytes;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) return false;
      text[at + i] = c;
    }
    return true;
  }

  private growCells(need: number): void {
    const size = Math.max(INITIAL_CELLS, (this.cells + need) * 2);
    const tags = new Uint8Array(new SharedArrayBuffer(size));
    const numbers = new Float64Array(new SharedArrayBuffer(size * 8));
    tags.set(this.tags.subarray(0, this.cells));
    numbers.set(this.numbers.subarray(0, this.cells));
    this.tags = tags;
    this.numbers = numbers;
    this.changed = true;
  }

  private growText(need: number): void {
    const text = new Uint8Array(new SharedArrayBuffer(Math.max(INITIAL_TEXT, (this.textBytes + need) * 2)));
    text.set(this.text.subarray(0, this.textBytes));
    this.text = text;
    this.changed = true;
  }
}

/** The thread's side: holds the shared buffers and reads batches out of them. */
export class RowDecoder {
  private tags: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private numbers: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private text: Buffer<ArrayBufferLike> = Buffer.alloc(0);

  /**
   * Reads a batch: `shape` lists [rows, columns] per group (decisions, then sessions); returns
   * the groups' rows.
   */
  read(batch: EncodedBatch, shape: Array<[rows: number, columns: number]>): Cell[][][] {
    if (batch.buffers) {
      this.tags = new Uint8Array(batch.buffers.tags);
      this.numbers = new Float64Array(batch.buffers.numbers);
      this.text = Buffer.from(batch.buffers.text);
    }
    const all = this.text.toString('utf8', 0, batch.textBytes);
    let cell = 0;
    let pos = 0;
    const groups: Cell[][][] = [];
    for (const [count, columns] of shape) {
      const rows = new Array<Cell[]>(count);
      for (let r = 0; r < count; r++) {
        const row = new Array<Cell>(columns);
        for (let c = 0; c < columns; c++, cell++) {
          const tag = this.tags[cell];
          if (tag === NULL) row[c] = null;
          else if (tag === NUMBER) row[c] = this.numbers[cell];
          else {
            const end = pos + this.numbers[cell];
            row[c] = all.slice(pos, end);
            pos = end;
          }
        }
        rows[r] = row;
      }
      groups.push(rows);
    }
    if (cell !== batch.cells || pos !== all.length) throw new Error(`row codec: batch shape mismatch (${cell}/${batch.cells} cells, ${pos}/${all.length} text)`);
    return groups;
  }
}
