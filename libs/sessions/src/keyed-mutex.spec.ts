import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((r) => setImmediate(r));

test('KeyedMutex: one key strictly in arrival order, other keys in parallel, nothing left behind', async () => {
  const m = new KeyedMutex();
  const log: string[] = [];
  let inside = 0;
  const call = (key: string, name: string, opts: { fail?: boolean; sync?: boolean } = {}) =>
    m.run(key, async () => {
      if (key === 'a') assert.equal(inside++, 0, `${name} runs alone`);
      log.push(`start ${name}`);
      if (!opts.sync) await tick();
      log.push(`end ${name}`);
      if (key === 'a') inside--;
      if (opts.fail) throw new Error(name);
      return name;
    });
  const runs = [call('a', 'a1'), call('a', 'a2', { fail: true }), call('b', 'b1'), call('a', 'a3', { sync: true }), call('a', 'a4')];
  assert.equal(m.activeKeys, 2);
  const late = (async () => {
    await tick();
    return call('a', 'a5'); // arrives while a2..a4 still wait
  })();
  const results = await Promise.allSettled([...runs, late]);
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : `failed ${(r.reason as Error).message}`)), ['a1', 'failed a2', 'b1', 'a3', 'a4', 'a5']);
  const a = log.filter((l) => l.endsWith('a1') || /a\d$/.test(l));
  assert.deepEqual(a, ['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3', 'start a4', 'end a4', 'start a5', 'end a5']);
  assert.ok(log.indexOf('start b1') < log.indexOf('end a1'), 'b runs while a is held');
  assert.equal(m.activeKeys, 0);
  // A synchronous throw releases the key too.
  await assert.rejects(m.run('c', () => {
    throw new Error('sync');
  }), /sync/);
  assert.equal(await m.run('c', () => 'again'), 'again');
  assert.equal(m.activeKeys, 0);
});
