// Microbenchmark of the request path around the policy engine: body parse (json-body.ts), the
// decide use case (validation, token verification, session history, input serialization,
// record building, history step) and the answer's JSON. The decision log and (by default) the
// policy are fakes, so the figure is the CPU of this code only. Not run by `npm test`.
//
//   node -r ./scripts/register-paths.js dist/test/bench/decide-path.js
//   BENCH_DECISIONS=40000 BENCH_ROUNDS=5  BENCH_ENGINE=real (evaluate the default policy pack too)
//   BENCH_CHECK=1 (fixed clock, unverified tokens): prints a digest of every policy input and
//   record, to show that two builds produce the same bytes (BENCH_CHECK_DUMP=file writes them).
//
// Prints main-thread and other-thread CPU us per decision (thread-cpu.ts) over the timed rounds
// (mean and best round). To compare two builds, run it from a copy of dist/ of each.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sortedKeys, type Caller, type PolicyInput } from '@arbiter/contracts';
import { DecideUseCase, type EvaluatorPort, type TokenPort } from '@arbiter/decide';
import type { Evaluation } from '@arbiter/engine';
import { SessionHistory } from '@arbiter/sessions';
import { TokenVerifier } from '@arbiter/tokens';
import { decodeUtf8Body, parseJsonBody } from '../../apps/pdp/src/http/json-body';
import { cpuSnapshot } from './thread-cpu';
import { ISSUER, makeKeys, typicalSessions } from './workloads';

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 40_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 32;
const ANONYMOUS: Caller = { name: 'anonymous', role: 'anonymous', trusted: false, canDecide: true, canAdmin: true };

/**
 * BENCH_CHECK=1: a digest of every policy input (bytes) and record, to compare two builds. Order
 * independent (items are sorted): requests of different sessions may interleave differently.
 */
const CHECK = process.env.BENCH_CHECK === '1';
const items: string[] = [];
function check(item: string | Uint8Array): void {
  items.push(typeof item === 'string' ? item : Buffer.from(item).toString('utf8'));
}

/** A fixed allow with a result shaped like the default pack's (what resultText stringifies). */
function fakeEvaluator(): EvaluatorPort {
  const verdict = { decision: 'allow' as const, allow: true, reasons: [] };
  return {
    revision: 'bench',
    entrypoint: 'mcp/decision',
    evaluate(_input: PolicyInput, nowNs: number, json?: string | Uint8Array): Evaluation {
      if (CHECK && json !== undefined) check(json);
      const result = { allow: true, decision: 'allow', obligations: [], reasons: [], risk: { score: 0, signals: [] } };
      return { verdict, result, pinned: { now_ns: nowNs }, evalMicros: 1, error: null, revision: 'bench', entrypoint: 'mcp/decision' };
    },
  };
}

/**
 * For BENCH_CHECK: the tokens' claims without iat/exp (which follow the clock), unverified, so
 * two runs give the same inputs. One claims object per token, like the real verifier's cache.
 */
function checkTokens(): TokenPort {
  const seen = new Map<string, Record<string, unknown>>();
  return {
    async verify(raw: string) {
      let claims = seen.get(raw);
      if (claims === undefined) {
        const payload = JSON.parse(Buffer.from(raw.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
        delete payload.iat;
        delete payload.exp;
        claims = sortedKeys(payload) as Record<string, unknown>;
        seen.set(raw, claims);
      }
      return { present: true, valid: true, source: 'jwt', claims, error: null };
    },
  };
}

async function realEvaluator(): Promise<EvaluatorPort> {
  const { PolicyEngine, regoCompiler, regoHost } = await import('@arbiter/engine');
  const engine = new PolicyEngine({
    location: { kind: 'directory', path: join(__dirname, '..', '..', '..', 'policies') },
    entrypoint: 'mcp/decision',
    evalTimeoutMs: 1000,
    compiler: regoCompiler(),
    host: regoHost(),
    watch: false,
  });
  await engine.start();
  return engine;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'decide-path-'));
  try {
    const keys = await makeKeys(dir);
    const evaluator = process.env.BENCH_ENGINE === 'real' ? await realEvaluator() : fakeEvaluator();
    const tokens = CHECK ? checkTokens() : new TokenVerifier({ jwksFile: keys.jwksFile, issuers: [ISSUER], algorithms: ['ES256'], clockSkewS: 30 });
    const sessions = new SessionHistory({ getSession: async () => null, sessionSteps: async () => [] });
    const decide = new DecideUseCase(
      {
        tokens,
        evaluator,
        log: {
          append: async (record, upsert) => {
            if (CHECK) check(JSON.stringify({ ...record, id: '', evalMicros: 0 }) + JSON.stringify(upsert)); // evalMicros: timing
          },
        },
        sessions,
        observer: { decided() {} },
      },
      { maxDepth: 64, timeoutMs: 2000, ...(CHECK ? { now: () => 1_800_000_000_000 } : {}) },
    );
    const work = await typicalSessions(keys, 'b');
    // Bodies as the HTTP layer receives them, from CONNECTIONS interleaved clients.
    const ctxs = Array.from({ length: CONNECTIONS }, () => ({}) as Record<string, unknown>);
    const bodies: Buffer[] = [];
    for (let i = 0; i < DECISIONS; i++) {
      const c = i % CONNECTIONS;
      const slot = Math.floor(i / CONNECTIONS) % work.slots;
      if (slot === 0) ctxs[c] = {};
      bodies.push(Buffer.from(work.body(slot, ctxs[c]), 'utf8'));
    }
    let checked = false;
    const one = async (raw: Buffer): Promise<string> => {
      const body = parseJsonBody(decodeUtf8Body(raw), 64);
      const out = await decide.decide(body, ANONYMOUS);
      return JSON.stringify(out.body);
    };
    // One pass = CONNECTIONS concurrent loops, each awaiting its own requests in order.
    const pass = async (): Promise<void> => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < bodies.length) {
            const text = await one(bodies[next++]);
            if (!checked) {
              checked = true;
              console.log(`sample answer ${text}`);
            }
          }
        }),
      );
    };
    await pass(); // warm-up (JIT, token cache)
    const results: Array<{ main: number; others: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      // New session ids each round: continuing the same sessions would grow them past the
      // workload's 20 calls.
      for (let i = 0; i < bodies.length; i++) bodies[i] = Buffer.from(bodies[i].toString('utf8').replace(/"typ-(?:b|r\d+)-/, `"typ-r${r}-`), 'utf8');
      const before = cpuSnapshot(process.pid)!;
      await pass();
      const after = cpuSnapshot(process.pid)!;
      results.push({ main: ((after.main - before.main) / DECISIONS) * 1e6, others: ((after.others - before.others) / DECISIONS) * 1e6 });
    }
    const fmt = (xs: number[]) => `${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)} (min ${Math.min(...xs).toFixed(1)})`;
    console.log(`decide path, ${DECISIONS} decisions x ${ROUNDS} rounds, engine ${process.env.BENCH_ENGINE === 'real' ? 'real' : 'fake'}`);
    console.log(`  main thread us/decision: ${fmt(results.map((x) => x.main))}`);
    console.log(`  other threads us/decision: ${fmt(results.map((x) => x.others))}`);
    if (CHECK) {
      items.sort();
      console.log(`  digest of ${items.length} inputs and records: ${createHash('sha256').update(items.join('\n')).digest('hex')}`);
      if (process.env.BENCH_CHECK_DUMP) writeFileSync(process.env.BENCH_CHECK_DUMP, items.join('\n'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
