// SessionHistory on a real decision log (SQLite temp dir and a fresh PostgreSQL schema).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DecisionLog, StoreWriteError, closeTestLog, openTestLog, sampleRecord, type DecisionRecord, type TestDatabase, type TestDbKind } from '@arbiter/decisions';
import { InvalidClientHistoryError } from './client-history';
import { historyStepFromRecord, sessionUpsertFor, toPolicySessionInput } from './history-step';
import { SessionHistory, type SessionStore } from './session-history';
import type { SessionCaller, SessionView } from './types';

const alice: SessionCaller = { subject: 'alice', clientId: 'app-1' };
const bob: SessionCaller = { subject: 'bob', clientId: 'app-1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingStore(log: DecisionLog): SessionStore & { reads: number } {
  const store = {
    reads: 0,
    getSession: (id: string) => (store.reads++, log.getSession(id)),
    sessionSteps: (id: string, opts?: { lastN?: number }) => (store.reads++, log.sessionSteps(id, opts)),
  };
  return store;
}

for (const kind of ['sqlite', 'postgres'] as TestDbKind[]) {
  describe(`SessionHistory on ${kind}`, () => {
    let db: TestDatabase;
    let log: DecisionLog;

    before(async () => ({ db, log } = await openTestLog(kind)));
    after(() => closeTestLog({ db, log }));

    /** One decide cycle as libs/decide runs it: load → (evaluate) → append → recordStep, under the lock. */
    function decide(
      sessions: SessionHistory,
      id: string,
      caller: SessionCaller,
      opts: { clientHistory?: unknown[]; tool?: string; delayMs?: number; decision?: DecisionRecord['decision'] } = {},
    ): Promise<{ view: SessionView; record: DecisionRecord }> {
      return sessions.withSession(id, async () => {
        const view = await sessions.load(id, caller, opts.clientHistory);
        if (opts.delayMs) await sleep(opts.delayMs);
        const nowNs = Date.now() * 1e6;
        const tool = opts.tool ?? `tool-${view.step}`;
        const { record } = sampleRecord({
          sessionId: id,
          step: view.step,
          subject: caller.subject,
          clientId: caller.clientId,
          toolName: tool,
          decision: opts.decision ?? 'allow',
          reasons: [{ code: `because-${view.step}`, message: 'm' }],
          input: { tool: { name: tool, arguments: { n: view.step } }, session: toPolicySessionInput(view), now_ns: nowNs },
          pinned: { now_ns: nowNs },
          time: new Date(Math.floor(nowNs / 1e6)),
        });
        await log.append(record, sessionUpsertFor(view));
        sessions.recordStep(view, { record, historyStep: historyStepFromRecord(record) });
        return { view, record };
      });
    }

    it('starts a new session, binds it to its first caller, then serves history from the cache', async () => {
      const id = `s-${randomUUID()}`;
      const store = countingStore(log);
      const sessions = new SessionHistory(store);
      const first = await decide(sessions, id, alice, { decision: 'deny' });
      assert.equal(first.view.step, 1);
      assert.equal(first.view.historySource, 'none');
      assert.equal(first.view.known, false);
      assert.deepEqual(first.view.owner, alice);
      assert.equal(first.view.ownerMismatch, false);
      assert.deepEqual(first.view.history, []);
      const row = await log.getSession(id);
      assert.equal(row?.ownerSubject, 'alice');
      assert.equal(row?.ownerClientId, 'app-1');

      const readsBefore = store.reads;
      const second = await decide(sessions, id, alice);
      assert.equal(store.reads, readsBefore, 'a cached session needs no database read');
      assert.equal(second.view.step, 2);
      assert.equal(second.view.historySource, 'server');
      assert.equal(second.view.known, true);
      assert.equal(second.view.history.length, 1);
      const h = second.view.history[0];
      assert.equal(h.step, 1);
      assert.equal(h.decision, 'deny');
      assert.deepEqual(h.reasons, ['because-1']);
      assert.deepEqual(h.tool, { name: 'tool-1', server: 'files', arguments: { n: 1 } });
      assert.equal(h.time_ns, (first.record.pinned as { now_ns: number }).now_ns);
      assert.equal(h.time, first.record.time.toISOString());
    });

    it('rebuilds exactly the same view from the log on a cache miss', async () => {
      const id = `s-${randomUUID()}`;
      const warm = new SessionHistory(log);
      for (let i = 0; i < 4; i++) await decide(warm, id, alice);
      const fromCache = await warm.load(id, alice);
      const cold = new SessionHistory(log);
      const fromLog = await cold.load(id, alice);
      assert.deepEqual(fromLog, fromCache);
      assert.equal(fromLog.step, 5);
      assert.deepEqual(fromLog.history.map((s) => s.step), [1, 2, 3, 4]);
      assert.equal(cold.stats().misses, 1);
    });

    it('flags a caller other than the owner without changing the owner', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      await decide(sessions, id, alice);
      const intruder = await decide(sessions, id, bob);
      assert.equal(intruder.view.ownerMismatch, true);
      assert.deepEqual(intruder.view.owner, alice);
      const otherClient = await sessions.load(id, { subject: 'alice', clientId: 'app-2' });
      assert.equal(otherClient.ownerMismatch, true);
      const anonymous = await sessions.load(id, { subject: null, clientId: null });
      assert.equal(anonymous.ownerMismatch, true);
      assert.equal((await sessions.load(id, alice)).ownerMismatch, false);
      // The stored owner survives a restart (fresh cache).
      const fresh = new SessionHistory(log);
      const reloaded = await fresh.load(id, bob);
      assert.deepEqual(reloaded.owner, alice);
      assert.equal(reloaded.ownerMismatch, true);
      assert.equal((await log.getSession(id))?.ownerSubject, 'alice');
    });

    it('an unowned session is claimed once by its first verified caller (cache and store)', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const anon: SessionCaller = { subject: null, clientId: null };
      const squat = await decide(sessions, id, anon, { decision: 'deny' });
      assert.deepEqual(squat.view.owner, anon);
      assert.equal((await log.getSession(id))?.ownerSubject, null);
      // An anonymous follow-up does not claim it either.
      assert.equal((await decide(sessions, id, anon)).view.ownerMismatch, false);
      const claim = await decide(sessions, id, alice);
      assert.equal(claim.view.ownerMismatch, false);
      assert.deepEqual(claim.view.owner, alice);
      const row = await log.getSession(id);
      assert.equal(row?.ownerSubject, 'alice');
      assert.equal(row?.ownerClientId, 'app-1');
      // Afterwards the usual owner_mismatch semantics, from the cache and from the store.
      assert.equal((await decide(sessions, id, bob)).view.ownerMismatch, true);
      assert.equal((await sessions.load(id, anon)).ownerMismatch, true);
      const fresh = new SessionHistory(log);
      assert.deepEqual((await fresh.load(id, bob)).owner, alice);
      assert.equal((await fresh.load(id, alice)).ownerMismatch, false);
      assert.equal((await log.getSession(id))?.ownerSubject, 'alice', 'bob did not take it over');
      assert.equal((await log.getSession(id))?.lastStep, 4);
    });

    it('a batch holding the anonymous first step and the claiming step stores the verified owner', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const anon: SessionCaller = { subject: null, clientId: null };
      // Concurrent calls: group commit may write both steps in one batch.
      await Promise.all([decide(sessions, id, anon), decide(sessions, id, bob), decide(sessions, id, alice)]);
      const row = await log.getSession(id);
      assert.equal(row?.ownerSubject, 'bob');
      assert.equal((await new SessionHistory(log).load(id, bob)).ownerMismatch, false);
    });

    it('uses client history only for unknown sessions and keeps it as the start of the record', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const clientHistory = [
        { tool: { name: 'search', arguments: { q: 'x' } }, decision: 'allow', time: '2025-01-01T10:00:00Z' },
        { tool: { name: 'fetch', server: 'web' }, reasons: ['ok'] },
      ];
      const first = await decide(sessions, id, alice, { clientHistory });
      assert.equal(first.view.historySource, 'client');
      assert.equal(first.view.step, 3);
      assert.deepEqual(first.view.history, [
        { step: 1, time: '2025-01-01T10:00:00.000Z', time_ns: Date.parse('2025-01-01T10:00:00Z') * 1e6, tool: { name: 'search', server: null, arguments: { q: 'x' } }, decision: 'allow', reasons: [] },
        { step: 2, time: '1970-01-01T00:00:00.000Z', time_ns: 0, tool: { name: 'fetch', server: 'web', arguments: {} }, decision: 'allow', reasons: ['ok'] },
      ]);
      const row = await log.getSession(id);
      assert.equal(row?.historySource, 'client');
      assert.deepEqual(row?.seededHistory, first.view.history);

      // Arbiter now has a record: different client history is ignored, and the view says so.
      const lie = [{ tool: { name: 'nothing-happened' } }];
      const second = await sessions.load(id, alice, lie);
      assert.equal(second.historySource, 'server');
      assert.equal(second.clientHistoryIgnored, true);
      assert.equal(second.step, 4);
      assert.deepEqual(second.history.map((s) => s.tool.name), ['search', 'fetch', 'tool-3']);
      const cold = await new SessionHistory(log).load(id, alice, lie);
      assert.deepEqual(cold.history, second.history);
      assert.equal(cold.step, 4);
    });

    it('rejects malformed client history for an unknown session with a 400-class error', async () => {
      const sessions = new SessionHistory(log);
      await assert.rejects(sessions.load(`s-${randomUUID()}`, alice, [{ tool: { name: '' } }]), (err: unknown) => {
        assert.ok(err instanceof InvalidClientHistoryError);
        assert.equal(err.code, 'invalid_request');
        assert.equal(err.status, 400);
        assert.equal(err.field, 'session.history[0].tool.name');
        return true;
      });
      await assert.rejects(sessions.load(`s-${randomUUID()}`, alice, 'nope' as unknown as unknown[]), InvalidClientHistoryError);
    });

    it('gives concurrent calls on one session consecutive steps, each seeing the previous ones', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(sessions, id, alice, { delayMs: (i * 7) % 5 })));
      const steps = results.map((r) => r.view.step).sort((a, b) => a - b);
      assert.deepEqual(steps, Array.from({ length: 20 }, (_, i) => i + 1));
      for (const { view } of results) assert.deepEqual(view.history.map((s) => s.step), Array.from({ length: view.step - 1 }, (_, i) => i + 1));
      assert.deepEqual((await log.sessionSteps(id)).map((r) => r.step), steps);
      assert.equal(sessions.stats().lockedSessions, 0);
    });

    it('runs different sessions in parallel', async () => {
      const sessions = new SessionHistory(log);
      let signal!: () => void;
      const fromB = new Promise<void>((r) => (signal = r));
      // A waits for something only B does: this completes only if A's lock does not block B.
      const a = sessions.withSession('parallel-a', () => fromB.then(() => 'a'));
      const b = sessions.withSession('parallel-b', async () => (signal(), 'b'));
      assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
    });

    it('keeps only the most recent maxHistory steps, with step numbers counting on', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log, { maxHistory: 3 });
      for (let i = 0; i < 6; i++) await decide(sessions, id, alice);
      const view = await sessions.load(id, alice);
      assert.equal(view.step, 7);
      assert.deepEqual(view.history.map((s) => s.step), [4, 5, 6]);
      const cold = await new SessionHistory(log, { maxHistory: 3 }).load(id, alice);
      assert.deepEqual(cold.history, view.history);
      const seeded = await sessions.load(`s-${randomUUID()}`, alice, Array.from({ length: 10 }, (_, i) => ({ tool: { name: `t${i}` } })));
      assert.deepEqual(seeded.history.map((s) => [s.step, s.tool.name]), [[8, 't7'], [9, 't8'], [10, 't9']]);
      assert.equal(seeded.step, 11);
    });

    it('bounds the cache and reloads evicted sessions from the log', async () => {
      const sessions = new SessionHistory(log, { maxCachedSessions: 2 });
      const ids = [0, 1, 2].map(() => `s-${randomUUID()}`);
      for (const id of ids) await decide(sessions, id, alice);
      assert.equal(sessions.stats().cachedSessions, 2);
      const missesBefore = sessions.stats().misses;
      const evicted = await sessions.load(ids[0], alice);
      assert.equal(sessions.stats().misses, missesBefore + 1);
      assert.equal(evicted.step, 2);
      assert.equal(evicted.historySource, 'server');
    });

    it('writes the session row only for the creating and the claiming step; steps count on from the records', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const anon: SessionCaller = { subject: null, clientId: null };
      const written: boolean[] = [];
      for (const caller of [anon, anon, anon, alice, alice, bob, alice]) {
        const { view } = await decide(sessions, id, caller);
        written.push(!sessionUpsertFor(view).unchanged);
      }
      assert.deepEqual(written, [true, false, false, true, false, false, false]);
      const row = await log.getSession(id);
      assert.equal(row?.lastStep, 7);
      assert.equal(row?.ownerSubject, 'alice');
      // The stored row kept the step it was created with: the live one comes from the records,
      // also for a view built without reading any record (maxHistory 0).
      const stored = (await db.sql(`SELECT "last_step" FROM ${db.table('sessions')} WHERE "id" = '${id}'`)) as Array<{ last_step: number }>;
      assert.equal(Number(stored[0].last_step), 1);
      const noHistory = new SessionHistory(log, { maxHistory: 0 });
      assert.equal((await noHistory.load(id, alice)).step, 8);
      assert.equal((await new SessionHistory(log).load(id, alice)).step, 8);
    });

    it('a creating step whose commit fails leaves the session unknown: the next step sends the creation again', async () => {
      const id = `s-${randomUUID()}`;
      const sessions = new SessionHistory(log);
      const taken = sampleRecord({ sessionId: `other-${id}`, step: 1 });
      await log.append(taken.record, taken.session);
      // As the decide use-case runs it; the database refuses the batch (the decision id is taken).
      await sessions.withSession(id, async () => {
        const view = await sessions.load(id, alice);
        const { record } = sampleRecord({ id: taken.record.id, sessionId: id, step: view.step, subject: 'alice', clientId: 'app-1' });
        await assert.rejects(log.append(record, sessionUpsertFor(view)), StoreWriteError);
        sessions.invalidate(id);
      });
      assert.equal(await log.getSession(id), null, 'nothing of the failed step is stored');
      const retry = await decide(sessions, id, alice);
      assert.equal(retry.view.known, false);
      assert.equal(retry.view.step, 1);
      assert.equal(sessionUpsertFor(retry.view).unchanged, false, 'the creation is sent again');
      assert.equal((await log.getSession(id))?.ownerSubject, 'alice');
      const next = await decide(sessions, id, alice);
      assert.equal(sessionUpsertFor(next.view).unchanged, true);
      assert.equal((await log.getSession(id))?.lastStep, 2);
    });

    it('drops the cached entry when a decide cycle fails, so the log decides the next step', async () => {
      const id = `s-${randomUUID()}`;
      const store = countingStore(log);
      const sessions = new SessionHistory(store);
      await decide(sessions, id, alice);
      await assert.rejects(
        sessions.withSession(id, async () => {
          await sessions.load(id, alice);
          throw new Error('evaluation blew up');
        }),
        /blew up/,
      );
      const reads = store.reads;
      const next = await sessions.load(id, alice);
      assert.ok(store.reads > reads, 'reloaded from the log');
      assert.equal(next.step, 2);
    });
  });
}
