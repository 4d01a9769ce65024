// Typed failures of the decision log. They extend the shared ArbiterError so a transport maps
// `code` straight to a status (decision_log_unavailable → 503, invalid_query → 400); `reason`
// is the finer machine-readable cause.
import { ArbiterError, type ErrorCode } from '@arbiter/contracts';

export abstract class DecisionLogError extends ArbiterError {
  constructor(code: ErrorCode, readonly reason: string, message: string, details?: unknown) {
    super(code, message, details);
    this.name = new.target.name;
  }
}

/** The database failed under a read or write: answered as 503, the driver's error kept as `cause`. */
export abstract class StoreIoError extends DecisionLogError {
  constructor(op: 'read' | 'write', override readonly cause: unknown) {
    super('decision_log_unavailable', `store_${op}_failed`, `decision log ${op} failed: ${describe(cause)}`);
  }
}

/** The append queue is full: the record was NOT accepted; the service answers 503 deny. */
export class StoreOverloadedError extends DecisionLogError {
  constructor(maxQueue: number) {
    super('decision_log_unavailable', 'store_overloaded', `decision log queue is full (${maxQueue} pending appends)`);
  }
}

/** The transaction holding the record failed: the record is NOT acknowledged. */
export class StoreWriteError extends StoreIoError {
  constructor(cause: unknown) {
    super('write', cause);
  }
}

/** The append was withdrawn from the queue before any transaction held it (decide deadline). */
export class StoreTimeoutError extends DecisionLogError {
  constructor() {
    super('decision_log_unavailable', 'decide_timeout', 'the decision was not recorded before the decide deadline (ARBITER_DECIDE_TIMEOUT_MS)');
  }
}

/** A query against the store failed (down, missing table, timeout): answered as 503. */
export class StoreReadError extends StoreIoError {
  constructor(cause: unknown) {
    super('read', cause);
  }
}

export class StoreClosedError extends DecisionLogError {
  constructor() {
    super('decision_log_unavailable', 'store_closed', 'decision log is closed');
  }
}

/** A record or session upsert that cannot be stored (a bug in the caller, not bad user input). */
export class InvalidRecordError extends DecisionLogError {
  constructor(readonly field: string, message: string) {
    super('internal_error', 'invalid_record', `invalid decision record: ${field}: ${message}`, { field });
  }
}

export class InvalidCursorError extends DecisionLogError {
  constructor(message: string) {
    super('invalid_query', 'invalid_cursor', `invalid cursor: ${message}`, { field: 'cursor' });
  }
}

export class InvalidFilterError extends DecisionLogError {
  constructor(readonly field: string, message: string) {
    super('invalid_query', 'invalid_filter', `invalid ${field}: ${message}`, { field });
  }
}

/** DATABASE_URL / options that name no supported database. */
export class StoreConfigError extends DecisionLogError {
  constructor(message: string) {
    super('internal_error', 'store_config', message);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
