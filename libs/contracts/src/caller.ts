// Who is calling Arbiter (authenticated by API key, or anonymous when no keys are configured).

export type CallerRole = 'gateway' | 'admin' | 'anonymous';

export interface Caller {
  name: string;
  role: CallerRole;
  /** A trusted gateway may send already-verified `claims` instead of a raw token. */
  trusted: boolean;
  /** Anonymous callers (no keys configured) may do everything a gateway and an admin may. */
  canDecide: boolean;
  canAdmin: boolean;
}
