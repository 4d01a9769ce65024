// Builds the policy `input` document (CONTRACTS.md) from a validated request and what Arbiter knows.
import type { Caller, DecideRequest, PolicyInput, TokenInput } from '@arbiter/contracts';
import { JsonText } from '@arbiter/decisions';
import { toPolicySessionInput, type SessionView } from '@arbiter/sessions';

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export function buildPolicyInput(req: DecideRequest, token: TokenInput, view: SessionView, caller: Caller, nowNs: number): PolicyInput {
  const tool = req.tool;
  return {
    tool: {
      name: tool.name,
      server: tool.server ?? null,
      arguments: tool.arguments ?? EMPTY,
      annotations: tool.annotations ?? EMPTY,
    },
    token,
    resource: req.resource ?? null,
    session: toPolicySessionInput(view),
    context: req.context ?? EMPTY,
    caller: { name: caller.name, role: caller.role, trusted: caller.trusted },
    now_ns: nowNs,
  };
}

/** Subject and OAuth client of a call: only from a valid token or trusted gateway claims. */
export function callerIdentity(token: TokenInput): { subject: string | null; clientId: string | null } {
  if (!token.valid || !token.claims) return { subject: null, clientId: null };
  const c = token.claims;
  return { subject: own(c, 'sub'), clientId: own(c, 'client_id') ?? own(c, 'azp') ?? own(c, 'cid') };
}

/** Own properties only: an inherited value (a "__proto__" claim, prototype pollution) is no identity. */
function own(claims: Record<string, unknown>, key: string): string | null {
  return Object.prototype.hasOwnProperty.call(claims, key) ? str(claims[key]) : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

const HISTORY_OPEN = Buffer.from('"history":[', 'latin1');
const HISTORY_CLOSE = Buffer.from('],', 'latin1');

/** Scratch space kept between calls; a larger input gets a one-off buffer instead. */
const SCRATCH_BYTES = 256 * 1024;

/**
 * Writes the input's JSON once per decision: `stored` (text) leaves out session.history (the
 * record references it instead); `full` (UTF-8 bytes) has the session's cached step JSON spliced
 * in as session.history (`historyJson`: the steps joined by commas) — what the policy evaluates. `full` is written into a buffer reused by
 * the next call (no 10-50 KB allocation per decision): it is valid until then, which is enough
 * because the engine copies it into Wasm memory during evaluate(). Objects Arbiter builds are
 * written with their keys in sorted order (the Wasm runtime keeps objects as sorted entry lists
 * and skips its sort when the text is already sorted); "history" sorts first inside "session",
 * so it goes right after `"session":{`. Both are storable (JsonText rules).
 */
export class InputSerializer {
  private scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  /** JSON of claims objects (treated as immutable): a cached token's verified claims come back as the same object. */
  private readonly claimsJson = new WeakMap<object, string>();
  private lastCaller: { name: string; role: string; trusted: boolean; json: string } | null = null;

  serialize(input: PolicyInput, historyJson: Uint8Array): { stored: JsonText; full: Uint8Array } {
    const s = input.session;
    const t = input.token;
    const tool = input.tool;
    const caller = input.caller;
    const head = new JsonText(
      `${this.callerJson(caller)},"context":${json(input.context)},"now_ns":${num(input.now_ns)},"resource":${json(input.resource)},"session":{`,
    ).text;
    const owner = s.owner ? `{"client_id":${JSON.stringify(s.owner.client_id)},"subject":${JSON.stringify(s.owner.subject)}}` : 'null';
    const error = t.error ? `{"code":${JSON.stringify(t.error.code)},"message":${JSON.stringify(t.error.message)}}` : 'null';
    const tail = new JsonText(
      `"history_source":${JSON.stringify(s.history_source)},"id":${JSON.stringify(s.id)},"owner":${owner},"owner_mismatch":${s.owner_mismatch},"step":${s.step}}` +
        `,"token":{"claims":${this.claims(t.claims)},"error":${error},"present":${t.present},"source":${JSON.stringify(t.source)},"valid":${t.valid}}` +
        `,"tool":{"annotations":${json(tool.annotations)},"arguments":${json(tool.arguments)},"name":${JSON.stringify(tool.name)},"server":${json(tool.server)}}}`,
    ).text;
    const stored = JsonText.trusted(`${head}${tail}`);
    // head + `"history":[` + history + `],` + tail, each piece written as it is (no joined copies).
    // UTF-8 needs at most 3 bytes per UTF-16 unit; the history is bytes already.
    const need = (head.length + tail.length) * 3 + HISTORY_OPEN.length + HISTORY_CLOSE.length + historyJson.length;
    const buf = need <= this.scratch.length ? this.scratch : Buffer.allocUnsafe(need);
    let off = buf.write(head, 0, 'utf8');
    buf.set(HISTORY_OPEN, off);
    off += HISTORY_OPEN.length;
    buf.set(historyJson, off);
    off += historyJson.length;
    buf.set(HISTORY_CLOSE, off);
    off += HISTORY_CLOSE.length;
    off += buf.write(tail, off, 'utf8');
    return { stored, full: buf.subarray(0, off) };
  }

  /** `{"caller":{…}` — the same few callers every time, so the text of the last one is kept. */
  private callerJson(caller: PolicyInput['caller']): string {
    const last = this.lastCaller;
    if (last !== null && last.name === caller.name && last.role === caller.role && last.trusted === caller.trusted) return last.json;
    const text = `{"caller":{"name":${JSON.stringify(caller.name)},"role":${JSON.stringify(caller.role)},"trusted":${caller.trusted}}`;
    this.lastCaller = { name: caller.name, role: caller.role, trusted: caller.trusted, json: text };
    return text;
  }

  private claims(claims: Record<string, unknown> | null): string {
    if (claims === null || typeof claims !== 'object') return json(claims);
    let text = this.claimsJson.get(claims);
    if (text === undefined) {
      text = JSON.stringify(claims);
      this.claimsJson.set(claims, text);
    }
    return text;
  }
}

/** JSON.stringify, with undefined (a value the contract does not allow) written as null. */
function json(v: unknown): string {
  if (v === EMPTY) return '{}'; // absent context/arguments/annotations
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** JSON.stringify of a number (String() writes finite numbers the same way). */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}
