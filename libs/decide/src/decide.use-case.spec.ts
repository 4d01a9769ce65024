import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError, type Caller, type PolicyInput, type TokenInput } from '@arbiter/contracts';
import type { DecisionRecord, SessionUpsert } from '@arbiter/decisions';
import type { Evaluation } from '@arbiter/engine';
import { DecideUseCase } from './decide.use-case';
import { SessionHistory } from '@arbiter/sessions';

const gateway: Caller = { name: 'gw', role: 'gateway', trusted: false, canDecide: true, canAdmin: false };
const trusted: Caller = { ...gateway, name: 'tgw', trusted: true };

/** The real SessionHistory over an empty store: steps live in its cache. */
function memorySessions(): SessionHistory {
  return new SessionHistory({ getSession: async () => null, sessionSteps: async () => [] }, { maxHistory: 50 });
}

function setup(opts: { failLog?: boolean; decide?: (input: PolicyInput) => Evaluation['verdict'] } = {}) {
  const records: Array<[DecisionRecord, SessionUpsert]> = [];
  const inputs: PolicyInput[] = [];
  const sessions = memorySessions();
  const uc = new DecideUseCase(
    {
      tokens: {
        async verify(raw: string): Promise<TokenInput> {
          return raw === 'good'
            ? { present: true, valid: true, source: 'jwt', claims: { sub: 'alice', client_id: 'c1' }, error: null }
            : { present: true, valid: false, source: 'jwt', claims: null, error: { code: 'token_signature', message: 'bad' } };
        },
      },
      evaluator: {
        evaluate(input: PolicyInput, nowNs: number): Evaluation {
          inputs.push(input);
          const verdict = opts.decide?.(input) ?? { decision: 'allow', allow: true, reasons: [] };
          return { verdict, result: verdict, pinned: { now_ns: nowNs }, evalMicros: 5, error: null, revision: 'r1', entrypoint: 'mcp/decision' };
        },
      },
      log: {
        async append(r, s) {
          if (opts.failLog) throw new Error('queue full');
          records.push([r, s]);
        },
      },
      sessions,
    },
    { maxDepth: 8, now: () => 1_700_000_000_000 },
  );
  return { uc, records, inputs, sessions };
}

test('an allowed call is recorded and answered with its step', async () => {
  const { uc, records, inputs } = setup();
  const out = await uc.decide({ tool: { name: 'read', arguments: { p: 1 } }, token: 'good', session: { id: 's1' }, resource: 'https://r' }, gateway);
  assert.equal(out.status, 200);
  assert.equal(out.body.decision, 'allow');
  assert.equal(out.body.allow, true);
  assert.deepEqual(out.body.session, { id: 's1', step: 1 });
  assert.deepEqual(out.body.policy, { revision: 'r1', entrypoint: 'mcp/decision' });
  assert.equal(records.length, 1);
  const [rec, upsert] = records[0];
  assert.equal(rec.id, out.body.decision_id);
  assert.equal(rec.subject, 'alice');
  assert.equal(rec.clientId, 'c1');
  assert.equal(upsert.ownerSubject, 'alice');
  assert.equal(inputs[0].token.claims?.sub, 'alice');
  assert.equal(inputs[0].now_ns, 1_700_000_000_000 * 1e6);
  assert.equal(JSON.stringify(rec.input).includes('good'), false, 'the raw token is never in the record');
  const second = await uc.decide({ tool: { name: 'write' }, token: 'good', session: { id: 's1' }, resource: 'https://r' }, gateway);
  assert.equal(second.body.session.step, 2);
  assert.equal(inputs[1].session.history[0].tool.name, 'read');
  assert.deepEqual(inputs[1].session.history[0].tool.arguments, { p: 1 });
});

test('bad requests throw typed errors and record nothing', async () => {
  const { uc, records } = setup();
  const cases: Array<[unknown, string]> = [
    [null, 'invalid_request'],
    [{}, 'invalid_request'],
    [{ tool: { name: 3 } }, 'invalid_request'],
    [{ tool: { name: 'x' }, extra: 1 }, 'invalid_request'],
    [{ tool: { name: 'x' }, session: {} }, 'invalid_request'],
    [{ tool: { name: 'x', arguments: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } } }, 'body_too_deep'],
    [{ tool: { name: 'x' }, claims: { sub: 'a' } }, 'claims_not_allowed'],
  ];
  for (const [body, code] of cases) {
    await assert.rejects(uc.decide(body, gateway), (e: unknown) => e instanceof ArbiterError && e.code === code, JSON.stringify(body));
  }
  assert.equal(records.length, 0);
});

test('a trusted gateway may send claims', async () => {
  const { uc, inputs } = setup();
  const out = await uc.decide({ tool: { name: 'x' }, claims: { sub: 'bob' }, session: { id: 's' } }, trusted);
  assert.equal(out.status, 200);
  assert.equal(inputs[0].token.source, 'gateway');
  assert.equal(inputs[0].caller.trusted, true);
  await assert.rejects(uc.decide({ tool: { name: 'x' }, claims: {}, token: 'good' }, trusted), /either token or claims/);
});

test('an invalid token is passed to the policy, not rejected', async () => {
  const { uc, inputs } = setup({ decide: (i) => (i.token.valid ? { decision: 'allow', allow: true, reasons: [] } : { decision: 'deny', allow: false, reasons: [{ code: 'token_invalid', message: 'x' }] }) });
  const out = await uc.decide({ tool: { name: 'x' }, token: 'bad' }, gateway);
  assert.equal(out.body.decision, 'deny');
  assert.equal(inputs[0].token.error?.code, 'token_signature');
  assert.match(out.body.session.id, /^[0-9a-f-]{36}$/, 'a session id is assigned when none is sent');
});

test('when the log cannot record, the answer is 503 deny and the step is not kept', async () => {
  const { uc, sessions } = setup({ failLog: true });
  const out = await uc.decide({ tool: { name: 'x' }, session: { id: 's9' } }, gateway);
  assert.equal(out.status, 503);
  assert.equal(out.body.decision, 'deny');
  assert.equal(out.body.allow, false);
  assert.equal(out.body.reasons[0].code, 'decision_log_unavailable');
  assert.equal(out.body.error?.code, 'decision_log_unavailable');
  assert.equal(sessions.stats().cachedSessions, 0);
});

test('owner mismatch reaches the policy', async () => {
  const { uc, inputs } = setup();
  await uc.decide({ tool: { name: 'x' }, token: 'good', session: { id: 'o' } }, gateway);
  await uc.decide({ tool: { name: 'x' }, claims: { sub: 'mallory' }, session: { id: 'o' } }, trusted);
  assert.equal(inputs[1].session.owner_mismatch, true);
  assert.equal(inputs[1].session.owner?.subject, 'alice');
});

/** A use-case over hand-driven ports: the log's commit and the session read resolve when told to. */
function slowSetup(opts: { timeoutMs: number; failLoad?: boolean; slowLoad?: boolean }) {
  const queued: Array<{ ticket?: { cancel: (() => boolean) | null }; resolve: () => void; reject: (e: unknown) => void }> = [];
  const decided: Array<{ status: number; reasons: string[] }> = [];
  let releaseLoad: () => void = () => undefined;
  const sessions = memorySessions();
  const load = sessions.load.bind(sessions);
  sessions.load = async (...args: Parameters<SessionHistory['load']>) => {
    if (opts.failLoad) throw new Error('relation "sessions" does not exist');
    if (opts.slowLoad) await new Promise<void>((r) => (releaseLoad = r));
    return load(...args);
  };
  const uc = new DecideUseCase(
    {
      tokens: { verify: async () => ({ present: false, valid: false, source: 'none', claims: null, error: null }) },
      evaluator: {
        evaluate: (_i: PolicyInput, nowNs: number): Evaluation => ({
          verdict: { decision: 'allow', allow: true, reasons: [] },
          result: null,
          pinned: { now_ns: nowNs },
          evalMicros: 1,
          error: null,
          revision: 'r1',
          entrypoint: 'mcp/decision',
        }),
        revision: 'r1',
        entrypoint: 'mcp/decision',
      },
      log: {
        append(_r, _s, ticket) {
          return new Promise<void>((resolve, reject) => {
            const w = { ticket, resolve, reject };
            queued.push(w);
            if (ticket) ticket.cancel = () => (queued.includes(w) ? (queued.splice(queued.indexOf(w), 1), reject(new Error('withdrawn')), true) : false);
          });
        },
      },
      sessions,
      observer: { decided: (o) => decided.push({ status: o.status, reasons: o.reasons }) },
    },
    { maxDepth: 8, timeoutMs: opts.timeoutMs },
  );
  const release = () => {
    opts.slowLoad = false;
    releaseLoad();
  };
  return { uc, queued, decided, sessions, releaseLoad: release };
}

test('a session read failure answers 503 deny decision_log_unavailable and is observed', async () => {
  const { uc, queued, decided } = slowSetup({ timeoutMs: 0, failLoad: true });
  const out = await uc.decide({ tool: { name: 'x' }, session: { id: 'down' } }, gateway);
  assert.equal(out.status, 503);
  assert.equal(out.body.decision, 'deny');
  assert.equal(out.body.allow, false);
  assert.equal(out.body.reasons[0].code, 'decision_log_unavailable');
  assert.equal(out.body.error?.code, 'decision_log_unavailable');
  assert.equal(queued.length, 0, 'nothing was appended');
  assert.deepEqual(decided, [{ status: 503, reasons: ['decision_log_unavailable'] }]);
});

test('deadline: a record still queued is withdrawn and the answer is 503 deny', async () => {
  const { uc, queued, decided } = slowSetup({ timeoutMs: 30 });
  const out = await uc.decide({ tool: { name: 'x' }, session: { id: 'q' } }, gateway);
  assert.equal(out.status, 503);
  assert.equal(out.body.reasons[0].code, 'decision_log_unavailable');
  assert.equal(queued.length, 0, 'withdrawn from the queue: it can never be committed');
  assert.equal(decided.length, 1, 'observed once');
});

test('deadline: a record a transaction holds is awaited, so the answer matches the log', async () => {
  const { uc, queued } = slowSetup({ timeoutMs: 20 });
  const pending = uc.decide({ tool: { name: 'x' }, session: { id: 'f' } }, gateway);
  await new Promise((r) => setTimeout(r, 5));
  const w = queued.shift()!; // "in flight": no longer cancellable
  await new Promise((r) => setTimeout(r, 40));
  w.resolve();
  const out = await pending;
  assert.equal(out.status, 200, 'the committed decision is acknowledged');
  assert.equal(out.body.decision, 'allow');
});

test('deadline: stuck before the log → 503 at once; the late run records nothing and answers nothing', async () => {
  const { uc, queued, decided, sessions, releaseLoad } = slowSetup({ timeoutMs: 20, slowLoad: true });
  const out = await uc.decide({ tool: { name: 'x' }, session: { id: 'slow' } }, gateway);
  assert.equal(out.status, 503);
  assert.equal(out.body.reasons[0].code, 'decision_log_unavailable');
  releaseLoad();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(queued.length, 0, 'the late run never appends');
  assert.equal(decided.length, 1, 'one answer, observed once');
  const view = await sessions.load('slow', { subject: null, clientId: null });
  assert.equal(view.step, 1, 'no step was taken');
});
