// Decision vocabulary shared by the service, the log and the policy pack.

export type Decision = 'allow' | 'deny' | 'ask';

export const DECISIONS: readonly Decision[] = ['allow', 'deny', 'ask'];

export interface Reason {
  code: string;
  message: string;
}

/** Reason codes the service itself produces when the policy cannot answer (always with deny). */
export const ServiceReason = {
  policyUnavailable: 'policy_unavailable',
  policyError: 'policy_error',
  policyTimeout: 'policy_timeout',
  policyUndefined: 'policy_undefined',
  decisionLogUnavailable: 'decision_log_unavailable',
} as const;
export type ServiceReasonCode = (typeof ServiceReason)[keyof typeof ServiceReason];

/** Entrypoint of the default policy pack. */
export const DEFAULT_ENTRYPOINT = 'mcp/decision';
