import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidClientHistoryError, MAX_STORED_STEP, normalizeClientHistory } from './client-history';
import { KeyedMutex } from './keyed-mutex';
import { LruCache } from '@arbiter/contracts';

describe('normalizeClientHistory', () => {
  it('fills neutral defaults and keeps given steps, times and reasons', () => {
    const out = normalizeClientHistory(
      [
        { step: 3, tool: { name: 'a', arguments: { x: 1 } }, decision: 'deny', reasons: [{ code: 'c1', message: 'm' }], time_ns: 1_700_000_000_123_000_000 },
        { tool: { name: 'b', server: null } },
      ],
      10,
    );
    assert.deepEqual(out, [
      { step: 3, time: new Date(1_700_000_000_123).toISOString(), time_ns: 1_700_000_000_123_000_000, tool: { name: 'a', server: null, arguments: { x: 1 } }, decision: 'deny', reasons: ['c1'] },
      { step: 4, time: '1970-01-01T00:00:00.000Z', time_ns: 0, tool: { name: 'b', server: null, arguments: {} }, decision: 'allow', reasons: [] },
    ]);
    assert.deepEqual(normalizeClientHistory(undefined, 10), []);
  });

  it('names the offending field', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'session.history'],
      [[null], 'session.history[0]'],
      [[{ tool: { name: 'a' } }, { tool: {} }], 'session.history[1].tool.name'],
      [[{ tool: { name: 'a', arguments: [] } }], 'session.history[0].tool.arguments'],
      [[{ tool: { name: 'a', server: 3 } }], 'session.history[0].tool.server'],
      [[{ tool: { name: 'a' }, decision: 'perhaps' }], 'session.history[0].decision'],
      [[{ tool: { name: 'a' }, reasons: 'x' }], 'session.history[0].reasons'],
      [[{ tool: { name: 'a' }, time: 'yesterday' }], 'session.history[0].time'],
      [[{ tool: { name: 'a' }, time_ns: -1 }], 'session.history[0].time_ns'],
      [[{ step: 2, tool: { name: 'a' } }, { step: 2, tool: { name: 'b' } }], 'session.history[1].step'],
      [[{ step: 0, tool: { name: 'a' } }], 'session.history[0].step'],
    ];
    for (const [input, field] of cases) {
      assert.throws(
        () => normalizeClientHistory(input, 10),
        (err: unknown) => err instanceof InvalidClientHistoryError && err.field === field,
        field,
      );
    }
  });

  it('caps claimed step numbers so a seeded session can keep counting', () => {
    for (const step of [2_147_483_646, 1_000_001]) {
      assert.throws(
        () => normalizeClientHistory([{ step, tool: { name: 'a' } }], 10),
        (err: unknown) => err instanceof InvalidClientHistoryError && err.field === 'session.history[0].step' && err.code === 'invalid_request',
      );
    }
    assert.equal(normalizeClientHistory([{ step: 1_000_000, tool: { name: 'a' } }], 10)[0].step, 1_000_000);
    // Stored seeded history (accepted before the cap) is still read back as it was.
    assert.equal(normalizeClientHistory([{ step: 2_000_000, tool: { name: 'a' } }], 10, 'session.history', MAX_STORED_STEP)[0].step, 2_000_000);
  });

  it('keeps only the newest max entries (and ignores what it drops)', () => {
    const out = normalizeClientHistory([{ broken: true }, { tool: { name: 'x' } }, { tool: { name: 'y' } }], 2);
    assert.deepEqual(out.map((s) => [s.step, s.tool.name]), [[2, 'x'], [3, 'y']]);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1);
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.size, 2);
  });
});

describe('KeyedMutex', () => {
  it('runs one key in arrival order and survives a throwing holder', async () => {
    const m = new KeyedMutex();
    const order: string[] = [];
    const slow = m.run('k', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
      throw new Error('boom');
    });
    const fast = m.run('k', async () => void order.push('second'));
    await assert.rejects(slow, /boom/);
    await fast;
    assert.deepEqual(order, ['first', 'second']);
    assert.equal(m.activeKeys, 0);
  });
});
