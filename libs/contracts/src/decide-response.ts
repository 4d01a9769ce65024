// Body of a POST /decide answer (200, or 503 with a deny body when the log cannot record).
import type { Decision, Reason } from './decision';

export interface DecideResponse {
  decision_id: string;
  decision: Decision;
  allow: boolean;
  reasons: Reason[];
  obligations?: Record<string, unknown>;
  policy: { revision: string; entrypoint: string };
  session: { id: string; step: number };
}
