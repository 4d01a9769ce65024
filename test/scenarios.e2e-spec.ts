// Drives every agent scenario (/work/shared/scenarios/*.json and test/scenarios/*.json) through
// the real service with the default policy pack: one service per scenario, whose policy
// directory is the pack's .rego files + config + the scenario's catalog, and whose token keys
// are a local JWKS file. Each step mints its own JWT and goes through POST /decide in one
// session, so Arbiter keeps the history. See the format in /work/shared/scenarios/README.md.
// Boots through the shared e2e harness (test/support) like the service's own e2e tests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startArbiter, type Harness } from './support/arbiter-harness';
import { createTestKeys, type TestKeys } from './support/jwt-keys';

const SHARED_DIR = '/work/shared/scenarios';
/** Reasons the service gives when the policy could not answer: a block must not come from these. */
const SERVICE_REASONS = new Set(['policy_unavailable', 'policy_error', 'policy_timeout', 'policy_undefined', 'decision_log_unavailable']);

interface ScenarioStep {
  tool: { server: string; name: string; arguments?: Record<string, unknown> };
  claims?: Record<string, unknown>;
  resource?: string;
  history?: unknown[];
  expect: 'allow' | 'block' | 'any';
  why?: string;
}

interface Scenario {
  name: string;
  kind: 'attack' | 'benign';
  catalog: { servers: Record<string, { resource?: string; tools: Record<string, unknown> }> };
  claims: Record<string, unknown>;
  trusted_issuers?: string[];
  steps: ScenarioStep[];
}

interface StepOutcome {
  step: number;
  tool: string;
  expect: string;
  status: number;
  decision: string;
  allow: boolean;
  reasons: string[];
  ok: boolean;
  problem?: string;
}

/** The repository root, from test/ (tsx) or dist/test/ (compiled). */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'policies'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`repository root not found above ${__dirname}`);
}

const ROOT = repoRoot();
const PACK = join(ROOT, 'policies');

function scenarioFiles(): string[] {
  const dirs = [SHARED_DIR, join(ROOT, 'test', 'scenarios')].filter((d) => existsSync(d));
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(d, f)),
  );
}

function loadScenario(file: string): Scenario {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  assert.ok(Array.isArray(s.steps) && s.steps.length > 0, `${file}: no steps`);
  assert.ok(s.catalog?.servers, `${file}: no catalog`);
  return { ...s, name: s.name ?? file };
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * The policy directory for a scenario: the pack's .rego files and consent registry,
 * `catalog/data.json` = the scenario's catalog (already in the pack's format:
 * servers.<s>.resource / tools.<t>.{scopes, labels, identity_params, …}) and
 * `config/data.json` = the pack's config with the scenario's trusted issuers.
 */
function policyFiles(s: Scenario, issuers: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of walk(PACK)) {
    const rel = relative(PACK, file);
    const keep = (file.endsWith('.rego') && !file.endsWith('_test.rego')) || rel === join('consent', 'data.yaml');
    if (keep) files[rel] = readFileSync(file, 'utf8');
  }
  const config = parseYaml(readFileSync(join(PACK, 'config', 'data.yaml'), 'utf8')) as Record<string, unknown>;
  files[join('config', 'data.json')] = JSON.stringify({ ...config, trusted_issuers: issuers });
  files[join('catalog', 'data.json')] = JSON.stringify({ servers: s.catalog.servers });
  return files;
}

/** Scenario claims → a signed JWT; `exp` in a scenario is relative seconds (negative = expired). */
function mintStep(keys: TestKeys, claims: Record<string, unknown>): Promise<string> {
  const out = { ...claims };
  if (typeof out.exp === 'number') out.exp = Math.floor(Date.now() / 1000) + out.exp;
  return keys.mint(out);
}

function stepBody(s: Scenario, step: ScenarioStep, token: string, sessionId: string): Record<string, unknown> {
  const resource = step.resource ?? s.catalog.servers[step.tool.server]?.resource;
  const session: Record<string, unknown> = { id: sessionId };
  if (step.history) session.history = step.history;
  return {
    tool: { server: step.tool.server, name: step.tool.name, arguments: step.tool.arguments ?? {} },
    token,
    session,
    ...(resource ? { resource } : {}),
  };
}

function judge(step: ScenarioStep, status: number, body: Record<string, unknown>): { ok: boolean; problem?: string } {
  const decision = body.decision;
  const reasons = Array.isArray(body.reasons) ? (body.reasons as Array<{ code?: unknown }>) : null;
  if (status !== 200) return { ok: false, problem: `HTTP ${status}` };
  if (!['allow', 'deny', 'ask'].includes(decision as string) || typeof body.allow !== 'boolean' || !reasons) {
    return { ok: false, problem: 'malformed answer' };
  }
  if (body.allow !== (decision === 'allow')) return { ok: false, problem: 'allow disagrees with decision' };
  const service = reasons.map((r) => r.code).filter((c) => SERVICE_REASONS.has(c as string));
  if (service.length > 0) return { ok: false, problem: `service failure ${service.join(',')}` };
  if (step.expect === 'allow' && decision !== 'allow') return { ok: false, problem: 'expected allow' };
  if (step.expect === 'block' && decision === 'allow') return { ok: false, problem: 'expected block' };
  if (decision !== 'allow' && reasons.length === 0) return { ok: false, problem: 'block without a reason' };
  return { ok: true };
}

function printTable(s: Scenario, rows: StepOutcome[]): void {
  const lines = rows.map(
    (r) =>
      `  ${r.ok ? 'ok  ' : 'FAIL'} ${String(r.step).padStart(2)}  ${r.tool.padEnd(38)} ${r.expect.padEnd(5)} → ${r.decision.padEnd(5)} ` +
      `${r.reasons.join(',')}${r.problem ? `  [${r.problem}]` : ''}`,
  );
  process.stdout.write(`\n${s.name} (${s.kind})\n${lines.join('\n')}\n`);
}

async function runScenario(s: Scenario): Promise<StepOutcome[]> {
  const keyDir = mkdtempSync(join(tmpdir(), 'arbiter-scenario-keys-'));
  const issuers = s.trusted_issuers?.length ? s.trusted_issuers : [String(s.claims.iss)];
  let harness: Harness | undefined;
  try {
    const keys = await createTestKeys(keyDir);
    harness = await startArbiter({
      policies: policyFiles(s, issuers),
      env: {
        ARBITER_JWKS_FILE: keys.jwksFile,
        ARBITER_JWT_ISSUERS: issuers.join(','),
        ARBITER_POLICY_WATCH: 'false',
      },
    });
    const engine = harness.arbiter.runtime.engine;
    assert.ok(engine.revision, `policy did not load: ${JSON.stringify(engine.status())}`);
    const sessionId = `scenario-${s.name}-${randomUUID()}`;
    const rows: StepOutcome[] = [];
    for (const [i, step] of s.steps.entries()) {
      const token = await mintStep(keys, { ...s.claims, ...(step.claims ?? {}) });
      const res = await harness.decide<Record<string, unknown>>(stepBody(s, step, token, sessionId));
      const body = res.body ?? {};
      rows.push({
        step: i + 1,
        tool: `${step.tool.server}/${step.tool.name}`,
        expect: step.expect,
        status: res.status,
        decision: String(body.decision ?? '-'),
        allow: body.allow === true,
        reasons: Array.isArray(body.reasons) ? (body.reasons as Array<{ code: string }>).map((r) => r.code) : [],
        ...judge(step, res.status, body),
      });
    }
    return rows;
  } finally {
    await harness?.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
}

describe('agent scenarios through POST /decide with the default policy pack', () => {
  const files = scenarioFiles();

  test('scenario files are present', () => {
    assert.ok(files.length >= 6, `expected scenarios, found ${files.length}`);
  });

  const totals = { scenarios: 0, steps: 0, failed: 0 };
  for (const file of files) {
    const s = loadScenario(file);
    test(`${s.kind} ${s.name}`, async () => {
      const rows = await runScenario(s);
      printTable(s, rows);
      totals.scenarios++;
      totals.steps += rows.length;
      const failed = rows.filter((r) => !r.ok);
      totals.failed += failed.length;
      assert.deepEqual(
        failed.map((r) => `step ${r.step} ${r.tool}: ${r.problem} (got ${r.decision} ${r.reasons.join(',')})`),
        [],
        `${s.name}: ${s.steps.length} steps`,
      );
    });
  }

  test('summary', () => {
    process.stdout.write(`\nscenarios: ${totals.scenarios}, steps: ${totals.steps}, failed steps: ${totals.failed}\n`);
  });
});

