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

const SESSION_OPEN = '{"session":{';

/**
 * The input's JSON text, made once per decision: `stored` leaves out session.history (the record
 * references it instead); `full` is the same text with `historyJson` as session.history — what
 * the policy evaluates. `session` is serialized first and `history` first inside it, so `full`
 * is `stored` with the history spliced in at a fixed place. Both are storable (JsonText rules).
 */
export function serializeInput(input: PolicyInput, historyJson: string): { stored: JsonText; full: string } {
  const s = input.session;
  const withoutHistory = {
    session: { id: s.id, step: s.step, owner: s.owner, owner_mismatch: s.owner_mismatch, history_source: s.history_source },
    tool: input.tool,
    token: input.token,
    resource: input.resource,
    context: input.context,
    caller: input.caller,
    now_ns: input.now_ns,
  };
  const stored = new JsonText(JSON.stringify(withoutHistory));
  if (!stored.text.startsWith(SESSION_OPEN)) return { stored, full: JSON.stringify(input) }; // cannot happen: id is a string
  const rest = stored.text.slice(SESSION_OPEN.length);
  return { stored, full: `${SESSION_OPEN}"history":${historyJson},${rest}` };
}
