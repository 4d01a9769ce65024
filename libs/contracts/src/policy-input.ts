// The `input` document the policy sees (CONTRACTS.md "Policy input").
import type { Decision } from './decision';

export type TokenErrorCode =
  | 'token_malformed'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_audience'
  | 'token_issuer'
  | 'token_signature'
  | 'token_alg'
  | 'token_key_unavailable'
  | 'token_claims';

export interface TokenInput {
  present: boolean;
  valid: boolean;
  source: 'jwt' | 'gateway' | 'none';
  claims: Record<string, unknown> | null;
  error: { code: TokenErrorCode | string; message: string } | null;
}

export interface SessionOwner {
  subject: string | null;
  client_id: string | null;
}

export interface HistoryStep {
  step: number;
  time: string;
  time_ns: number;
  tool: { name: string; server: string | null; arguments: Record<string, unknown> };
  decision: Decision;
  reasons: string[];
}

export interface SessionInput {
  id: string;
  step: number;
  owner: SessionOwner | null;
  owner_mismatch: boolean;
  history_source: 'server' | 'client' | 'none';
  history: HistoryStep[];
}

export interface PolicyInput {
  tool: {
    name: string;
    server: string | null;
    arguments: Record<string, unknown>;
    annotations: Record<string, unknown>;
  };
  token: TokenInput;
  resource: string | null;
  session: SessionInput;
  context: Record<string, unknown>;
  caller: { name: string; role: 'gateway' | 'admin' | 'anonymous'; trusted: boolean };
  now_ns: number;
}
