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
  return { subject: str(c.sub), clientId: str(c.client_id) ?? str(c.azp) ?? str(c.cid) };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

const COMMA = Buffer.from(',');

/**
 * The input's JSON, made once per decision: `stored` (text) leaves out session.history (the
 * record references it instead); `full` (UTF-8 bytes) has the session's cached step JSON spliced
 * in as session.history — what the policy evaluates; the history is copied once, straight into
 * the buffer, never through a JS string. Objects Arbiter builds are written with their keys in
 * sorted order (the Wasm runtime keeps objects as sorted entry lists and skips its sort when the
 * text is already sorted); "history" sorts first inside "session", so it goes right after
 * `"session":{`. Both are storable (JsonText rules).
 */
export function serializeInput(input: PolicyInput, historyBytes: readonly Uint8Array[]): { stored: JsonText; full: Buffer } {
  const s = input.session;
  const t = input.token;
  const tool = input.tool;
  const head = new JsonText(
    `{"caller":${JSON.stringify({ name: input.caller.name, role: input.caller.role, trusted: input.caller.trusted })}` +
      `,"context":${JSON.stringify(input.context)},"now_ns":${JSON.stringify(input.now_ns)},"resource":${JSON.stringify(input.resource)},"session":{`,
  ).text;
  const owner = s.owner ? { client_id: s.owner.client_id, subject: s.owner.subject } : null;
  const error = t.error ? { code: t.error.code, message: t.error.message } : null;
  const tail = new JsonText(
    JSON.stringify({ history_source: s.history_source, id: s.id, owner, owner_mismatch: s.owner_mismatch, step: s.step }).slice(1) +
      `,"token":${JSON.stringify({ claims: t.claims, error, present: t.present, source: t.source, valid: t.valid })}` +
      `,"tool":${JSON.stringify({ annotations: tool.annotations, arguments: tool.arguments, name: tool.name, server: tool.server })}}`,
  ).text;
  const parts: Uint8Array[] = [Buffer.from(`${head}"history":[`, 'utf8')];
  for (let i = 0; i < historyBytes.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(historyBytes[i]);
  }
  parts.push(Buffer.from(`],${tail}`, 'utf8'));
  return { stored: JsonText.trusted(head + tail), full: Buffer.concat(parts) };
}
