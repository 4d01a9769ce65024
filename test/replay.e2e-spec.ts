// Replay: records store their input without session.history (plus a reference to it). For every
// recorded decision, reconstructInput must rebuild the exact input the policy evaluated, and
// evaluating it again with the same policy revision and the record's pinned values must give the
// recorded result — for server history, seeded client history, and a capped history window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@arbiter/rego';
import { loadPolicy, type ArbiterPolicy } from '@arbiter/rego/host';
import { readDirectory, regoHost, type PolicyHost } from '@arbiter/engine';
import { reconstructInput } from '@arbiter/sessions';
import { loadConfig } from '../apps/pdp/src/config/app-config';
import { createArbiterApp, type ArbiterApp } from '../apps/pdp/src/app.factory';
import { createTestKeys, type TestKeys } from './support/jwt-keys';

const POLICIES = join(__dirname, '..', '..', 'policies');
const GITHUB = 'https://mcp.example.com/github';
/** An issuer the default pack trusts (policies/config/data.yaml). */
const ISSUER = 'https://idp.example.com';
const HISTORY_MAX = 4;

let dir: string;
let keys: TestKeys;
let arbiter: ArbiterApp;
let url: string;
/** Every input the engine evaluated, in order (parsed from the JSON text it was given). */
const evaluated: unknown[] = [];

/** The real Wasm host, recording what it is asked to evaluate. */
function recordingHost(): PolicyHost {
  const real = regoHost();
  return {
    async load(wasm, data) {
      const policy = await real.load(wasm, data);
      return {
        evaluate(input, entrypoint, opts) {
          const json = opts.inputJson;
          evaluated.push(json === undefined ? input : JSON.parse(typeof json === 'string' ? json : Buffer.from(json).toString('utf8')));
          return policy.evaluate(input, entrypoint, opts);
        },
      };
    },
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-replay-'));
  keys = await createTestKeys(dir);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ARBITER_POLICIES: POLICIES,
    ARBITER_DATA_DIR: join(dir, 'data'),
    ARBITER_LOG_LEVEL: 'silent',
    ARBITER_POLICY_WATCH: 'false',
    ARBITER_JWKS_FILE: keys.jwksFile,
    ARBITER_JWT_ISSUERS: ISSUER,
    // Validated by loadConfig and passed down (the library no longer reads the environment).
    ARBITER_SESSION_HISTORY_MAX: String(HISTORY_MAX),
  });
  arbiter = await createArbiterApp(config, { host: recordingHost() });
  url = await arbiter.listen();
});

after(async () => {
  await arbiter?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function decide(tool: string, args: Record<string, unknown>, session: Record<string, unknown>): Promise<string> {
  const token = await keys.mint({ iss: ISSUER, aud: GITHUB, scope: 'issues:read issues:write repo:read', sub: 'alice', tenant: 'acme' });
  const res = await fetch(`${url}/decide`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tool: { name: tool, server: 'github', arguments: args }, token, resource: GITHUB, session, context: { note: "it's \u0000 odd" } }),
  });
  const body = (await res.json()) as { decision_id: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.decision_id;
}

test('every recorded decision replays to the same input and the same result', async () => {
  const ids: string[] = [];
  // Server-side history, longer than the history window (HISTORY_MAX), ending in a sequence the pack denies.
  const s1 = { id: `replay-server-${Date.now()}` };
  for (let i = 0; i < 3; i++) ids.push(await decide('list_issues', { owner: 'acme', repo: `r${i}` }, s1));
  ids.push(await decide('get_issue', { owner: 'acme', repo: 'r1', number: 7 }, s1));
  ids.push(await decide('get_file_contents', { owner: 'acme', repo: 'secret', path: 'key.pem' }, s1));
  ids.push(await decide('add_issue_comment', { owner: 'acme', repo: 'public', number: 1, body: 'leak' }, s1));
  // A session Arbiter does not know, seeded with client history, then continued server-side.
  const s2 = `replay-client-${Date.now()}`;
  const seeded = [
    { tool: { name: 'get_issue', server: 'github', arguments: { number: 1 } }, time: '2025-01-01T10:00:00Z' },
    { step: 5, tool: { name: 'get_file_contents', server: 'github', arguments: { path: 'x' } }, decision: 'allow' },
  ];
  ids.push(await decide('add_issue_comment', { number: 2 }, { id: s2, history: seeded }));
  for (let i = 0; i < 4; i++) ids.push(await decide('list_issues', { page: i }, { id: s2 }));
  assert.equal(evaluated.length, ids.length);

  const log = arbiter.runtime.log;
  const snap = readDirectory(POLICIES);
  const compiled = await compile({ modules: snap.modules, entrypoints: ['mcp/decision'] });
  assert.deepEqual(compiled.errors, []);
  const policy: ArbiterPolicy = await loadPolicy(compiled.wasm!, { data: snap.data });
  const decisions = new Set<string>();
  for (const [i, id] of ids.entries()) {
    const record = await log.get(id);
    assert.ok(record, `decision ${id} is stored`);
    assert.ok(record.history, 'the record references its history');
    assert.equal((record.input as { session: Record<string, unknown> }).session.history, undefined, 'the stored input has no history');
    assert.equal(record.history.count, (evaluated[i] as { session: { history: unknown[] } }).session.history.length);
    assert.ok(record.history.count <= HISTORY_MAX);
    const input = await reconstructInput(record, log);
    assert.deepEqual(input, evaluated[i], `input of step ${record.step} of ${record.sessionId}`);
    assert.equal(record.policyRevision, snap.revision, 'same policy revision');
    const replay = policy.evaluate(input, record.entrypoint, { pinned: record.pinned });
    assert.deepEqual(replay.result, record.result, `result of step ${record.step} of ${record.sessionId}`);
    decisions.add(record.decision);
  }
  // The runs exercised more than one outcome, so equality above is not trivially "always allow".
  assert.ok(decisions.size > 1, `decisions seen: ${[...decisions].join(', ')}`);
  const seededFirst = await log.get(ids[6]);
  assert.equal(seededFirst?.history?.source, 'client');
  assert.equal(seededFirst?.history?.through_step, 5);
  const capped = await log.get(ids[5]);
  assert.deepEqual(capped?.history, { source: 'server', through_step: 5, count: HISTORY_MAX });
});
