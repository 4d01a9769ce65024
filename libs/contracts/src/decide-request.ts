// Body of POST /decide (validated by libs/decide before anything is evaluated).

export interface ToolCall {
  name: string;
  arguments?: Record<string, unknown>;
  server?: string;
  annotations?: Record<string, unknown>;
}

/** A step of client-supplied history: used only when Arbiter has no record of the session. */
export interface ClientHistoryEntry {
  tool: { name: string; server?: string | null; arguments?: Record<string, unknown> };
  decision?: 'allow' | 'deny' | 'ask';
  reasons?: string[];
  time?: string;
}

export interface DecideRequest {
  tool: ToolCall;
  /** Raw JWT; verified by Arbiter, never stored or logged. */
  token?: string;
  /** Already-verified claims; accepted only from a trusted gateway. */
  claims?: Record<string, unknown>;
  session?: { id: string; history?: ClientHistoryEntry[] };
  resource?: string;
  context?: Record<string, unknown>;
}
