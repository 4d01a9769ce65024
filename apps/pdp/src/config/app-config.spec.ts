import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { ConfigError } from './config-error';
import { hashApiKey, parseApiKeys } from './api-keys';

const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
const base = { ARBITER_POLICIES: dir };

test('defaults are filled in', () => {
  const c = loadConfig(base);
  assert.equal(c.port, 8181);
  assert.equal(c.maxDepth, 32);
  assert.equal(c.bodyLimit, 1_048_576);
  assert.deepEqual(c.jwtAlgorithms, ['RS256', 'ES256', 'PS256', 'EdDSA']);
  assert.equal(c.entrypoint, 'mcp/decision');
  assert.deepEqual(c.apiKeys, []);
  assert.equal(c.sqliteSynchronous, null, 'the store default (NORMAL) applies');
  assert.equal(loadConfig({ ...base, ARBITER_SQLITE_SYNCHRONOUS: 'full' }).sqliteSynchronous, 'FULL');
  assert.throws(() => loadConfig({ ...base, ARBITER_SQLITE_SYNCHRONOUS: 'off' }), (e: unknown) => e instanceof ConfigError && /ARBITER_SQLITE_SYNCHRONOUS/.test(e.problems.join()));
});

test('bad values are all reported at once', () => {
  try {
    loadConfig({ ...base, PORT: 'eighty', ARBITER_MAX_DEPTH: '2', ARBITER_JWT_ALGORITHMS: 'RS256,none', ARBITER_LOG_LEVEL: 'loud', ARBITER_JWKS_URL: 'nota url' });
    assert.fail('expected ConfigError');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const text = e.problems.join('\n');
    for (const name of ['PORT', 'ARBITER_MAX_DEPTH', 'ARBITER_JWT_ALGORITHMS', 'ARBITER_LOG_LEVEL', 'ARBITER_JWKS_URL']) assert.match(text, new RegExp(name));
  }
});

test('token keys require an issuer allowlist; HMAC algorithms are refused', () => {
  writeFileSync(join(dir, 'jwks.json'), '{"keys":[]}');
  assert.throws(() => loadConfig({ ...base, ARBITER_JWKS_FILE: join(dir, 'jwks.json') }), /ARBITER_JWT_ISSUERS/);
  assert.throws(() => loadConfig({ ...base, ARBITER_JWT_ALGORITHMS: 'HS256' }), /HMAC/);
  const ok = loadConfig({ ...base, ARBITER_JWKS_FILE: join(dir, 'jwks.json'), ARBITER_JWT_ISSUERS: 'https://a, https://b' });
  assert.deepEqual(ok.jwtIssuers, ['https://a', 'https://b']);
});

test('API keys from the variable and from a file', () => {
  const h1 = hashApiKey('one');
  const h2 = hashApiKey('two');
  writeFileSync(join(dir, 'keys'), `# ops keys\nops:admin:${h2}\n`);
  const c = loadConfig({ ...base, ARBITER_API_KEYS: `edge:gateway:trusted:${h1}`, ARBITER_API_KEYS_FILE: join(dir, 'keys') });
  assert.deepEqual(c.apiKeys.map((k) => [k.name, k.role, k.trusted]), [['edge', 'gateway', true], ['ops', 'admin', false]]);
});

test('malformed API key entries are refused without echoing the hash', () => {
  const problems: string[] = [];
  parseApiKeys(`a:gateway:${'0'.repeat(63)}, b:root:${'1'.repeat(64)}, c:admin:trusted:${'2'.repeat(64)}, d:gateway`, 'X', problems);
  assert.equal(problems.length, 4);
  assert.equal(problems.some((p) => p.includes('1'.repeat(64))), false);
});

test('ARBITER_EVAL_FUEL: default budget, override, and bad values refused', () => {
  assert.equal(loadConfig(base).evalFuel, 1_000_000);
  assert.equal(loadConfig({ ...base, ARBITER_EVAL_FUEL: '5000000' }).evalFuel, 5_000_000);
  for (const bad of ['0', '999', '1e6', 'lots']) assert.throws(() => loadConfig({ ...base, ARBITER_EVAL_FUEL: bad }), /ARBITER_EVAL_FUEL/);
});

test('settings the libraries used to read from the environment are validated here', () => {
  const c = loadConfig(base);
  assert.equal(c.decideTimeoutMs, 2000);
  assert.equal(c.sessionHistoryMax, 256);
  assert.equal(c.sessionCacheSize, 5000);
  assert.equal(c.logMaxBatch, 500);
  const set = loadConfig({ ...base, ARBITER_DECIDE_TIMEOUT_MS: '0', ARBITER_SESSION_HISTORY_MAX: '10', ARBITER_SESSION_CACHE_SIZE: '2', ARBITER_LOG_MAX_BATCH: '50' });
  assert.deepEqual([set.decideTimeoutMs, set.sessionHistoryMax, set.sessionCacheSize, set.logMaxBatch], [0, 10, 2, 50]);
  for (const [name, value] of [
    ['ARBITER_DECIDE_TIMEOUT_MS', '-1'],
    ['ARBITER_SESSION_HISTORY_MAX', 'lots'],
    ['ARBITER_SESSION_CACHE_SIZE', '1.5'],
    ['ARBITER_LOG_MAX_BATCH', '0'],
  ]) {
    assert.throws(() => loadConfig({ ...base, [name]: value }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.includes(name)), name);
  }
});

test('a configured API-key source without any key is an error, not the open mode', () => {
  const file = join(dir, 'empty-keys');
  writeFileSync(file, '# edge:gateway:<sha256>\n\n   \n');
  assert.throws(() => loadConfig({ ...base, ARBITER_API_KEYS_FILE: file }), (e: unknown) => e instanceof ConfigError && /ARBITER_API_KEYS_FILE.*no API key/.test(e.problems.join()));
  assert.throws(() => loadConfig({ ...base, ARBITER_API_KEYS: ' , ,' }), (e: unknown) => e instanceof ConfigError && /ARBITER_API_KEYS is set but holds no API key/.test(e.problems.join()));
  assert.deepEqual(loadConfig({ ...base, ARBITER_API_KEYS: '  ' }).apiKeys, [], 'blank = unset = open mode');
});
