// Builds the policy `input` document (CONTRACTS.md) from a validated request and what Arbiter knows.
import type { Caller, DecideRequest, PolicyInput, TokenInput } from '@arbiter/contracts';
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
