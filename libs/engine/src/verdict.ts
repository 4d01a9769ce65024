// Turns whatever the policy returned into a decision; anything unexpected denies.
import { DECISIONS, ServiceReason, type Decision, type Reason } from '@arbiter/contracts';

export interface Verdict {
  decision: Decision;
  allow: boolean;
  reasons: Reason[];
  obligations?: Record<string, unknown>;
}

export function denyVerdict(code: string, message: string): Verdict {
  return { decision: 'deny', allow: false, reasons: [{ code, message }] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Accepts the bare value, or opa-wasm's `[{result: value}]` result set. */
function unwrap(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    if (raw.length !== 1 || !isObject(raw[0]) || !('result' in raw[0])) return undefined;
    return raw[0].result;
  }
  return raw;
}

export function toVerdict(raw: unknown): Verdict {
  const value = unwrap(raw);
  if (!isObject(value)) return undefinedVerdict('the policy returned no decision object');
  const decision = value.decision;
  const allow = value.allow;
  let d: Decision;
  if (decision === undefined) {
    if (typeof allow !== 'boolean') return undefinedVerdict('the decision has neither "decision" nor "allow"');
    d = allow ? 'allow' : 'deny';
  } else if (typeof decision === 'string' && (DECISIONS as readonly string[]).includes(decision)) {
    d = decision as Decision;
    if (allow !== undefined && allow !== (d === 'allow')) {
      return undefinedVerdict(`"allow" (${String(allow)}) contradicts "decision" (${d})`);
    }
  } else {
    return undefinedVerdict('"decision" is not one of allow, deny, ask');
  }
  // A present but malformed part is a malformed result: dropping it could turn a conditional
  // allow (obligations) into an unconditional one.
  const reasons = value.reasons === undefined ? [] : toReasons(value.reasons);
  if (reasons === null) return undefinedVerdict('"reasons" is not an array of {code, message}');
  const verdict: Verdict = { decision: d, allow: d === 'allow', reasons };
  if (value.obligations !== undefined) {
    if (!isObject(value.obligations)) return undefinedVerdict('"obligations" is not an object');
    verdict.obligations = value.obligations;
  }
  return verdict;
}

/** null when any entry is malformed; a bare string is accepted as its own code. */
function toReasons(raw: unknown): Reason[] | null {
  if (!Array.isArray(raw)) return null;
  const out: Reason[] = [];
  for (const r of raw) {
    if (typeof r === 'string') out.push({ code: r, message: r });
    else if (isObject(r) && typeof r.code === 'string' && (r.message === undefined || typeof r.message === 'string')) {
      out.push({ code: r.code, message: typeof r.message === 'string' ? r.message : r.code });
    } else return null;
  }
  return out;
}

function undefinedVerdict(detail: string): Verdict {
  return denyVerdict(ServiceReason.policyUndefined, `policy result is undefined or malformed: ${detail}`);
}
