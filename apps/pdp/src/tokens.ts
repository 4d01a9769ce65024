// Injection tokens for the plain (non-Nest) objects the service is built from.
export const CONFIG = Symbol('CONFIG');
export const ENGINE = Symbol('ENGINE');
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
export const DECISION_LOG = Symbol('DECISION_LOG');
export const SESSIONS = Symbol('SESSIONS');
export const DECIDE = Symbol('DECIDE');
export const CALLERS = Symbol('CALLERS');
export const APP_LOGGER = Symbol('APP_LOGGER');
