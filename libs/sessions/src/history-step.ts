// Conversions between decision records, history steps and the policy input's `session`.
import { sortedKeys, type Decision, type HistoryStep, type Reason, type SessionInput, type SessionOwner } from '@arbiter/contracts';
import { JsonText, sanitizeJsonText, type DecisionRecord, type SessionUpsert } from '@arbiter/decisions';
import type { SessionView } from './types';

/** What a history step is made of (a decided call). */
export interface StepFacts {
  step: number;
  nowNs: number;
  toolName: string;
  toolServer: string | null;
  args: unknown;
  decision: Decision;
  reasons: Reason[];
}

/** The history step of a decided call; decide and a reload from the log both build steps with this. */
export function historyStep(f: StepFacts): HistoryStep {
  const args = f.args;
  return {
    step: f.step,
    time: isoTime(Math.floor(f.nowNs / 1e6)),
    time_ns: f.nowNs,
    tool: {
      name: f.toolName,
      server: f.toolServer,
      arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
    },
    decision: f.decision,
    reasons: f.reasons.map((r) => r.code),
  };
}

/**
 * The history step a decision record stands for. The cache and a reload from the database both
 * use this (through historyStep), so eviction changes nothing. time_ns is the evaluation time
 * pinned in the record (now_ns) when present.
 */
export function historyStepFromRecord(record: DecisionRecord): HistoryStep {
  const raw = record.input instanceof JsonText ? JSON.parse(record.input.text) : record.input;
  const input = (raw ?? {}) as { now_ns?: unknown; tool?: { arguments?: unknown } };
  const pinnedNs = record.pinned?.now_ns;
  const ns = typeof pinnedNs === 'number' ? pinnedNs : typeof input.now_ns === 'number' ? input.now_ns : record.time.getTime() * 1e6;
  return historyStep({
    step: record.step,
    nowNs: ns,
    toolName: record.toolName,
    toolServer: record.toolServer,
    args: input.tool?.arguments,
    decision: record.decision,
    reasons: record.reasons,
  });
}

/**
 * A step's JSON text as the policy sees it: storable (as the log stores it: U+0000 and lone
 * surrogates become U+FFFD, see JsonText), so a step read back from the log has the very same
 * text; object keys sorted (the Wasm runtime then skips sorting them). Written field by field
 * (no intermediate copies of the step); made once per step, not once per later call.
 */
export function historyStepJson(step: HistoryStep): string {
  const t = step.tool;
  return sanitizeJsonText(
    `{"decision":${json(step.decision)},"reasons":${json(step.reasons)},"step":${json(step.step)},"time":${json(step.time)},` +
      `"time_ns":${json(step.time_ns)},"tool":{"arguments":${sortedJson(t.arguments)},"name":${json(t.name)},"server":${json(t.server)}}}`,
  );
}

/**
 * historyStepJson(historyStep(f)), written straight from the facts: the decide path needs only
 * the text, not the step object (nor its reasons array).
 */
export function historyStepJsonOf(f: StepFacts): string {
  const args = f.args;
  const codes = f.reasons.length === 0 ? '[]' : JSON.stringify(f.reasons.map((r) => r.code));
  const plain = args !== null && typeof args === 'object' && !Array.isArray(args);
  return sanitizeJsonText(
    `{"decision":${json(f.decision)},"reasons":${codes},"step":${num(f.step)},"time":"${isoTime(Math.floor(f.nowNs / 1e6))}",` +
      `"time_ns":${num(f.nowNs)},"tool":{"arguments":${plain ? sortedJson(args) : '{}'},"name":${json(f.toolName)},"server":${json(f.toolServer)}}}`,
  );
}

/**
 * JSON.stringify(sortedKeys(v)) without building the sorted copy. Keys are sorted the same way
 * (UTF-16 code units); an object whose first own key is an array index (digits) goes through
 * sortedKeys itself, because such keys enumerate in numeric order before the others in the copy.
 * Values are JSON data (from JSON.parse), so no toJSON, cycles or non-JSON values to care about.
 */
export function sortedJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return json(v);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as unknown;
      // JSON.stringify writes an array's undefined/function/symbol items as null.
      out += (i > 0 ? ',' : '') + (item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : sortedJson(item));
    }
    return out + ']';
  }
  const src = v as Record<string, unknown>;
  const keys = Object.keys(src);
  if (keys.length === 0) return '{}';
  const c = keys[0].charCodeAt(0);
  if (c >= 48 && c <= 57) return JSON.stringify(sortedKeys(v)); // leading array-index keys (see above)
  // Common case: keys already in order and only scalar values, i.e. JSON.stringify's own output.
  let plain = typeof (src as { toJSON?: unknown }).toJSON !== 'function';
  for (let i = 0; plain && i < keys.length; i++) {
    const item = src[keys[i]];
    plain = (i === 0 || keys[i - 1] < keys[i]) && (item === null || typeof item !== 'object');
  }
  if (plain) return JSON.stringify(src);
  sortKeys(keys);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const item = src[keys[i]];
    // JSON.stringify leaves out properties whose value it cannot write.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out += (first ? '' : ',') + JSON.stringify(keys[i]) + ':' + sortedJson(item);
    first = false;
  }
  return out + '}';
}

/**
 * keys.sort() (UTF-16 code unit order, as `<` compares strings); small arrays by insertion, in
 * place, without the work copy Array.prototype.sort makes.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
}

/** JSON.stringify of a number (String() writes finite numbers the same way). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

let isoSecond = NaN;
let isoPrefix = '';

/**
 * new Date(ms).toISOString(), with the text up to the seconds kept from the previous call: a
 * busy service stamps many steps per second, and toISOString costs ~0.4 us. The result never
 * needs escaping in JSON. Invalid times throw RangeError as toISOString does.
 */
export function isoTime(time: number): string {
  const ms = Math.trunc(time); // as new Date(time) takes it
  if (!(ms >= -8.64e15 && ms <= 8.64e15)) return new Date(ms).toISOString(); // throws RangeError
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    const full = new Date(second * 1000).toISOString(); // …:SS.000Z
    isoPrefix = full.slice(0, full.length - 4);
    isoSecond = second;
  }
  const milli = ms - second * 1000;
  return isoPrefix + (milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : `${milli}`) + 'Z';
}

/** JSON.stringify, with undefined (outside the HistoryStep type) written as null. */
function json(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** historyStepJson as UTF-8 bytes (what the policy input is assembled from). */
export function historyStepBytes(step: HistoryStep): Buffer {
  return Buffer.from(historyStepJson(step), 'utf8');
}

/** The `input.session` object of CONTRACTS.md for a view (`history` read from the view only when used). */
export function toPolicySessionInput(view: SessionView): SessionInput {
  return new PolicySessionInput(view);
}

/**
 * A class rather than an object literal with a `get history()`: a literal with an accessor is
 * built by a slow runtime path (~0.5 us per object). `history` lives on the prototype, so
 * toJSON writes it back in (JSON.stringify and the log's toJsonSafe see the same keys as before).
 */
class PolicySessionInput implements SessionInput {
  readonly id: string;
  readonly step: number;
  readonly owner: SessionOwner;
  readonly owner_mismatch: boolean;
  readonly history_source: SessionInput['history_source'];

  /** A private field: not part of the input's keys or JSON. */
  readonly #view: SessionView;

  constructor(view: SessionView) {
    this.#view = view;
    this.id = view.id;
    this.step = view.step;
    this.owner = { subject: view.owner.subject, client_id: view.owner.clientId };
    this.owner_mismatch = view.ownerMismatch;
    this.history_source = view.historySource;
  }

  get history(): HistoryStep[] {
    return this.#view.history;
  }

  toJSON(): SessionInput {
    return { id: this.id, step: this.step, owner: this.owner, owner_mismatch: this.owner_mismatch, history_source: this.history_source, history: this.history };
  }
}

/**
 * The session upsert to append with this view's decision record. Only a new session's first
 * step (creation) and a claiming step write the session row; for every other step of a known
 * session it is `unchanged` — the row exists, since the view comes from it or from a committed
 * append (after a failed append the session is invalidated and re-read, so a session whose
 * creating step failed is unknown again and its next step re-sends the creation).
 */
export function sessionUpsertFor(view: SessionView): SessionUpsert {
  return {
    id: view.id,
    ownerSubject: view.owner.subject,
    ownerClientId: view.owner.clientId,
    step: view.step,
    historySource: view.historySource,
    seededHistory: view.seededHistory,
    unchanged: view.known && !view.claims,
  };
}
