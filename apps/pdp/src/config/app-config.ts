// The service configuration: read from the environment once at boot, validated into a typed object.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { checkAlgorithms, DEFAULT_ALGORITHMS } from '@arbiter/tokens';
import { DEFAULT_ENTRYPOINT } from '@arbiter/contracts';
import { DEFAULT_EVAL_FUEL } from '@arbiter/engine';
import { DEFAULT_MAX_BATCH } from '@arbiter/decisions';
import { DEFAULT_MAX_CACHED_SESSIONS, DEFAULT_MAX_HISTORY } from '@arbiter/sessions';
import { parseApiKeys, type ApiKeyEntry } from './api-keys';
import { ConfigError } from './config-error';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  port: number;
  host: string;
  /** Policy directory (ignored when `bundle` is set). */
  policies: string;
  bundle: string | null;
  entrypoint: string;
  policyWatch: boolean;
  policyPoll: boolean;
  databaseUrl: string | null;
  dataDir: string;
  dbSchema: string | null;
  logMaxQueue: number | null;
  /** SQLite `synchronous` (ARBITER_SQLITE_SYNCHRONOUS: NORMAL default, FULL, EXTRA); null = the store's default. */
  sqliteSynchronous: 'NORMAL' | 'FULL' | 'EXTRA' | null;
  jwksUrl: string | null;
  jwksFile: string | null;
  jwtIssuers: string[];
  jwtAlgorithms: string[];
  clockSkewS: number;
  /** Remote JWKS fetch timeout (ARBITER_JWKS_TIMEOUT_MS, default 1000; keep it below ARBITER_DECIDE_TIMEOUT_MS). */
  jwksTimeoutMs: number;
  /** Grace period for stale remote keys during a JWKS outage (ARBITER_JWKS_STALE_S, default 3600). */
  jwksStaleS: number;
  /** Accept an aud differing from the resource by one trailing slash (ARBITER_JWT_AUD_TRAILING_SLASH, default false). */
  jwtAudTrailingSlash: boolean;
  apiKeys: ApiKeyEntry[];
  bodyLimit: number;
  maxDepth: number;
  evalTimeoutMs: number;
  /** Fuel budget per policy evaluation (ARBITER_EVAL_FUEL): stops runaway policies mid-run. */
  evalFuel: number;
  /** Evaluation worker threads (ARBITER_EVAL_WORKERS; 0 = evaluate on the service thread). */
  evalWorkers: number;
  /** Deadline for one /decide after validation (ARBITER_DECIDE_TIMEOUT_MS, 0 = none): then 503 deny. */
  decideTimeoutMs: number;
  /** Steps of session history in the policy input (ARBITER_SESSION_HISTORY_MAX). */
  sessionHistoryMax: number;
  /** Sessions kept in the in-memory LRU (ARBITER_SESSION_CACHE_SIZE). */
  sessionCacheSize: number;
  /** Most decisions written per store transaction (ARBITER_LOG_MAX_BATCH). */
  logMaxBatch: number;
  logLevel: LogLevel;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Repository root: dist/apps/pdp/src/config → 5 levels up; apps/pdp/src/config (tsx) → 4. */
export function repoRoot(): string {
  const fromDist = resolve(__dirname, '../../../../..');
  return existsSync(resolve(fromDist, 'package.json')) ? fromDist : resolve(__dirname, '../../../..');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = get(name)?.toLowerCase();
    if (raw === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return def;
  };
  const list = (name: string): string[] | undefined =>
    get(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const policies = resolve(get('ARBITER_POLICIES') ?? resolve(repoRoot(), 'policies'));
  const bundleRaw = get('ARBITER_BUNDLE');
  const bundle = bundleRaw ? resolve(bundleRaw) : null;
  if (bundle && !isFile(bundle)) problems.push(`ARBITER_BUNDLE: ${bundle} is not a readable file`);
  if (!bundle && !isDir(policies)) problems.push(`ARBITER_POLICIES: ${policies} is not a directory`);

  const jwksUrl = get('ARBITER_JWKS_URL') ?? null;
  if (jwksUrl) {
    try {
      const u = new URL(jwksUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push('ARBITER_JWKS_URL must be an http(s) URL');
    } catch {
      problems.push(`ARBITER_JWKS_URL is not a URL: ${JSON.stringify(jwksUrl)}`);
    }
  }
  const jwksFileRaw = get('ARBITER_JWKS_FILE');
  const jwksFile = jwksFileRaw ? resolve(jwksFileRaw) : null;
  if (jwksFile && !isFile(jwksFile)) problems.push(`ARBITER_JWKS_FILE: ${jwksFile} is not a readable file`);
  if (jwksUrl && jwksFile) problems.push('set only one of ARBITER_JWKS_URL and ARBITER_JWKS_FILE');
  const jwtIssuers = list('ARBITER_JWT_ISSUERS') ?? [];
  if ((jwksUrl || jwksFile) && jwtIssuers.length === 0) {
    problems.push('ARBITER_JWT_ISSUERS is required when token keys are configured (issuer allowlist)');
  }
  const jwtAlgorithms = list('ARBITER_JWT_ALGORITHMS') ?? DEFAULT_ALGORITHMS;
  const algProblem = checkAlgorithms(jwtAlgorithms);
  if (algProblem) problems.push(`ARBITER_JWT_ALGORITHMS: ${algProblem}`);

  const apiKeys: ApiKeyEntry[] = [];
  const keysInline = get('ARBITER_API_KEYS');
  // A configured source that yields no key must not silently fall back to the open mode.
  const noKeys = (origin: string) => problems.push(`${origin} is set but holds no API key (unset it for the open mode)`);
  if (env.ARBITER_API_KEYS !== undefined && env.ARBITER_API_KEYS.trim() !== '') {
    const before = problems.length;
    const parsed = parseApiKeys(keysInline ?? '', 'ARBITER_API_KEYS', problems);
    if (parsed.length === 0 && problems.length === before) noKeys('ARBITER_API_KEYS');
    apiKeys.push(...parsed);
  }
  const keysFile = get('ARBITER_API_KEYS_FILE');
  if (keysFile) {
    try {
      const before = problems.length;
      const parsed = parseApiKeys(readFileSync(resolve(keysFile), 'utf8'), `ARBITER_API_KEYS_FILE ${keysFile}`, problems);
      if (parsed.length === 0 && problems.length === before) noKeys(`ARBITER_API_KEYS_FILE ${keysFile}`);
      apiKeys.push(...parsed);
    } catch (e) {
      problems.push(`ARBITER_API_KEYS_FILE: ${(e as Error).message}`);
    }
  }
  const names = new Set<string>();
  for (const k of apiKeys) {
    if (names.has(k.name)) problems.push(`API key name ${k.name} is configured twice`);
    names.add(k.name);
  }

  const logLevel = (get('ARBITER_LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`ARBITER_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const logMaxQueueRaw = get('ARBITER_LOG_MAX_QUEUE');
  const syncRaw = get('ARBITER_SQLITE_SYNCHRONOUS')?.toUpperCase();
  if (syncRaw !== undefined && !['NORMAL', 'FULL', 'EXTRA'].includes(syncRaw)) {
    problems.push(`ARBITER_SQLITE_SYNCHRONOUS must be one of NORMAL, FULL, EXTRA, got ${JSON.stringify(get('ARBITER_SQLITE_SYNCHRONOUS'))}`);
  }
  const config: AppConfig = {
    port: int('PORT', 8181, 0, 65535),
    host: get('HOST') ?? '0.0.0.0',
    policies,
    bundle,
    entrypoint: get('ARBITER_ENTRYPOINT') ?? DEFAULT_ENTRYPOINT,
    policyWatch: bool('ARBITER_POLICY_WATCH', true),
    policyPoll: bool('ARBITER_POLICY_POLL', false),
    databaseUrl: get('DATABASE_URL') ?? null,
    dataDir: resolve(get('ARBITER_DATA_DIR') ?? './data'),
    dbSchema: get('ARBITER_DB_SCHEMA') ?? null,
    logMaxQueue: logMaxQueueRaw === undefined ? null : int('ARBITER_LOG_MAX_QUEUE', 10_000, 1, 10_000_000),
    sqliteSynchronous: syncRaw === 'NORMAL' || syncRaw === 'FULL' || syncRaw === 'EXTRA' ? syncRaw : null,
    jwksUrl,
    jwksFile,
    jwtIssuers,
    jwtAlgorithms,
    clockSkewS: int('ARBITER_CLOCK_SKEW_S', 30, 0, 600),
    jwksTimeoutMs: int('ARBITER_JWKS_TIMEOUT_MS', 1_000, 100, 60_000),
    jwksStaleS: int('ARBITER_JWKS_STALE_S', 3_600, 0, 7 * 86_400),
    jwtAudTrailingSlash: bool('ARBITER_JWT_AUD_TRAILING_SLASH', false),
    apiKeys,
    bodyLimit: int('ARBITER_BODY_LIMIT', 1_048_576, 1024, 64 * 1_048_576),
    maxDepth: int('ARBITER_MAX_DEPTH', 32, 4, 1000),
    evalTimeoutMs: int('ARBITER_EVAL_TIMEOUT_MS', 100, 1, 60_000),
    evalFuel: int('ARBITER_EVAL_FUEL', DEFAULT_EVAL_FUEL, 1000, Number.MAX_SAFE_INTEGER),
    evalWorkers: int('ARBITER_EVAL_WORKERS', defaultEvalWorkers(), 0, 64),
    decideTimeoutMs: int('ARBITER_DECIDE_TIMEOUT_MS', 2000, 0, 600_000),
    sessionHistoryMax: int('ARBITER_SESSION_HISTORY_MAX', DEFAULT_MAX_HISTORY, 0, 100_000),
    sessionCacheSize: int('ARBITER_SESSION_CACHE_SIZE', DEFAULT_MAX_CACHED_SESSIONS, 0, 10_000_000),
    logMaxBatch: int('ARBITER_LOG_MAX_BATCH', DEFAULT_MAX_BATCH, 1, 100_000),
    logLevel,
  };
  if (config.databaseUrl && !/^(postgres(ql)?:\/\/|sqlite:|file:)/i.test(config.databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * None on one or two cores: there the worker shares the cores with the service thread, and the
 * hand-off costs more than it saves (measured with `npm run bench`: typical sessions slower, long
 * ones about equal). With more cores, one per core beyond the service thread's, at most four.
 */
export function defaultEvalWorkers(cores = availableParallelism()): number {
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
