import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleRecord, type DecisionRecord, type SessionRow } from '@arbiter/decisions';
import { historyStepFromRecord } from './history-step';
import { reconstructInput, ReplayError, type ReplayStore } from './replay';

function store(records: DecisionRecord[], seeded: unknown[] | null): ReplayStore {
  return {
    async getSession(id: string): Promise<SessionRow | null> {
      return { id, ownerSubject: 'alice', ownerClientId: 'c', createdAt: new Date(0), updatedAt: new Date(0), lastStep: 9, historySource: seeded ? 'client' : 'none', seededHistory: seeded };
    },
    async sessionSteps(id: string, opts: { lastN?: number; throughStep?: number } = {}) {
      const rows = records.filter((r) => r.sessionId === id && r.step <= (opts.throughStep ?? Infinity)).sort((a, b) => a.step - b.step);
      return opts.lastN === undefined ? rows : rows.slice(-opts.lastN);
    },
  };
}

function rec(step: number, history: DecisionRecord['history']): DecisionRecord {
  return sampleRecord({ sessionId: 's', step, toolName: `t${step}`, input: { session: { id: 's', step }, tool: { name: `t${step}`, arguments: { n: step } }, now_ns: step * 1e9 }, pinned: {}, history }).record;
}

describe('reconstructInput', () => {
  const seeded = [
    { step: 1, time: '1970-01-01T00:00:00.000Z', time_ns: 0, tool: { name: 'seed-a', server: null, arguments: {} }, decision: 'allow', reasons: [] },
    { step: 2, time: '1970-01-01T00:00:00.000Z', time_ns: 0, tool: { name: 'seed-b', server: null, arguments: {} }, decision: 'allow', reasons: [] },
  ];
  const r3 = rec(3, { source: 'client', through_step: 2, count: 2 });
  const r4 = rec(4, { source: 'server', through_step: 3, count: 3 });
  const r5 = rec(5, { source: 'server', through_step: 4, count: 2 });
  const all = [r3, r4, r5];

  it('rebuilds the history from seeded client history and earlier records, oldest first', async () => {
    const s = store(all, seeded);
    const i3 = (await reconstructInput(r3, s)) as { session: { history: unknown[] } };
    assert.deepEqual(i3.session.history, seeded);
    const i4 = (await reconstructInput(r4, s)) as { session: { history: unknown[]; step: number }; tool: unknown };
    assert.deepEqual(i4.session.history, [...seeded, historyStepFromRecord(r3)]);
    assert.equal(i4.session.step, 4);
    assert.deepEqual(i4.tool, { name: 't4', arguments: { n: 4 } }, 'the rest of the stored input is kept');
    const i5 = (await reconstructInput(r5, s)) as { session: { history: unknown[] } };
    assert.deepEqual(i5.session.history, [historyStepFromRecord(r3), historyStepFromRecord(r4)], 'a capped window keeps the newest');
  });

  it('returns a legacy record (no reference) as stored, and fails when a referenced step is gone', async () => {
    const legacy = rec(6, null);
    assert.equal(await reconstructInput(legacy, store(all, seeded)), legacy.input);
    await assert.rejects(reconstructInput(r4, store([r4, r5], seeded)), (e: unknown) => e instanceof ReplayError && e.reason === 'history_incomplete');
  });
});
