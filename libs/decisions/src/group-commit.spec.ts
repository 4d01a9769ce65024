// GroupCommitter in isolation, with a scripted commit function.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreClosedError, StoreOverloadedError, StoreTimeoutError, StoreWriteError } from './errors';
import { GroupCommitter, type AppendTicket } from './group-commit';
import type { CommitInfo } from './types';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A commit function that records each batch and settles it only when its gate is opened. */
function gatedCommit(): { batches: number[][]; gates: Array<ReturnType<typeof deferred>>; commit: (items: number[]) => Promise<void> } {
  const batches: number[][] = [];
  const gates: Array<ReturnType<typeof deferred>> = [];
  const commit = (items: number[]) => {
    batches.push(items);
    const g = deferred();
    gates.push(g);
    return g.promise;
  };
  return { batches, gates, commit };
}

describe('GroupCommitter', () => {
  it('a ticket withdraws a queued item (never written) but not one a commit holds', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const gc = new GroupCommitter<number>(
      (items) => {
        batches.push(items);
        return batches.length === 1 ? gate.promise : Promise.resolve();
      },
      { maxQueue: 10, maxBatch: 10 },
    );
    const t1: AppendTicket = { cancel: null };
    const t2: AppendTicket = { cancel: null };
    const first = gc.enqueue(1, t1);
    await new Promise((r) => setImmediate(r));
    const second = gc.enqueue(2, t2);
    assert.equal(t1.cancel!(), false, 'in flight: cannot be withdrawn');
    assert.equal(t2.cancel!(), true);
    await assert.rejects(second, StoreTimeoutError);
    assert.equal(t2.cancel!(), false, 'withdrawn once');
    gate.resolve();
    await first;
    await gc.idle();
    assert.deepEqual(batches, [[1]], 'the withdrawn item was never written');
  });

  it('batches what arrives while a commit is in flight and settles only after commit', async () => {
    const { batches, gates, commit } = gatedCommit();
    const gc = new GroupCommitter<number>(commit, { maxQueue: 100, maxBatch: 100 });
    const settled: number[] = [];
    const track = (n: number) => gc.enqueue(n).then(() => settled.push(n));
    const first = [track(1), track(2)];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2]]);
    const second = [track(3), track(4), track(5)];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(settled, [], 'nothing settles before its commit');
    assert.equal(gc.metrics().queueDepth, 3);
    assert.equal(gc.metrics().inFlight, 2);
    gates[0].resolve();
    await Promise.all(first);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2], [3, 4, 5]]);
    assert.deepEqual(settled, [1, 2]);
    gates[1].resolve();
    await Promise.all(second);
    const m = gc.metrics();
    assert.equal(m.commits, 2);
    assert.equal(m.appended, 5);
    assert.equal(m.maxBatchSize, 3);
    assert.equal(m.avgBatchSize, 2.5);
  });

  it('never commits more than maxBatch at once', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommitter<number>(async (items) => void sizes.push(items.length), { maxQueue: 1000, maxBatch: 7 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => gc.enqueue(i)));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 50);
    assert.ok(sizes.every((s) => s <= 7));
    assert.deepEqual(sizes.slice(0, 7), [7, 7, 7, 7, 7, 7, 7]);
  });

  it('rejects every waiter of a failed commit with StoreWriteError and keeps going', async () => {
    let fail = true;
    const infos: CommitInfo[] = [];
    const gc = new GroupCommitter<number>(
      async () => {
        if (fail) throw new Error('disk full');
      },
      { maxQueue: 10, maxBatch: 10, onCommit: (i) => infos.push(i) },
    );
    const results = await Promise.allSettled([gc.enqueue(1), gc.enqueue(2)]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok((r as PromiseRejectedResult).reason instanceof StoreWriteError);
      assert.match((r as PromiseRejectedResult).reason.message, /disk full/);
    }
    fail = false;
    await gc.enqueue(3);
    assert.deepEqual(infos.map((i) => [i.batchSize, i.ok]), [[2, false], [1, true]]);
    assert.equal(gc.metrics().failedCommits, 1);
    assert.equal(gc.metrics().failedRecords, 2);
  });

  it('refuses beyond maxQueue without waiting, and a throwing metrics hook is harmless', async () => {
    const gc = new GroupCommitter<number>(async () => undefined, {
      maxQueue: 3,
      maxBatch: 10,
      onCommit: () => {
        throw new Error('hook bug');
      },
    });
    const ps = Array.from({ length: 5 }, (_, i) => gc.enqueue(i));
    const results = await Promise.allSettled(ps);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    assert.ok((results[3] as PromiseRejectedResult).reason instanceof StoreOverloadedError);
    assert.equal(gc.metrics().rejectedOverload, 2);
  });

  it('close() drains the queue and then refuses', async () => {
    const committed: number[] = [];
    const gc = new GroupCommitter<number>(async (items) => void committed.push(...items), { maxQueue: 100, maxBatch: 4 });
    const ps = Array.from({ length: 10 }, (_, i) => gc.enqueue(i));
    await gc.close();
    assert.equal(committed.length, 10);
    await Promise.all(ps);
    await assert.rejects(gc.enqueue(99), StoreClosedError);
  });

  it('maxInFlight > 1 hands the appends of each turn over without waiting, and each batch settles on its own', async () => {
    const { batches, gates, commit } = gatedCommit();
    const gc = new GroupCommitter<number>(commit, { maxQueue: 100, maxBatch: 100, maxInFlight: 2 });
    const settled: number[] = [];
    const track = (n: number) => gc.enqueue(n).then(
      () => settled.push(n),
      () => settled.push(-n),
    );
    const all = [track(1), track(2)];
    await new Promise((r) => setImmediate(r));
    all.push(track(3));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2], [3]], 'the second batch left while the first was in flight');
    all.push(track(4), track(5));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1, 2], [3]], 'at the limit: 4 and 5 wait');
    assert.equal(gc.metrics().inFlight, 3);
    assert.equal(gc.metrics().queueDepth, 2);
    let idle = false;
    void gc.idle().then(() => (idle = true));
    gates[1].reject(new Error('disk full')); // the later batch fails first, alone
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(settled, [-3]);
    assert.deepEqual(batches, [[1, 2], [3], [4, 5]], 'its slot went to the waiting appends');
    gates[0].resolve();
    gates[2].resolve();
    await Promise.all(all);
    assert.deepEqual(settled.sort((a, b) => a - b), [-3, 1, 2, 4, 5]);
    await new Promise((r) => setImmediate(r));
    assert.equal(idle, true, 'idle once every batch settled');
    assert.equal(gc.metrics().inFlight, 0);
    assert.throws(() => new GroupCommitter<number>(async () => undefined, { maxQueue: 1, maxBatch: 1, maxInFlight: 0 }), RangeError);
  });

  it('idle() resolves when everything queued was withdrawn before its batch left', async () => {
    const gc = new GroupCommitter<number>(async () => undefined, { maxQueue: 10, maxBatch: 10, maxInFlight: 4 });
    const ticket: AppendTicket = { cancel: null };
    const p = gc.enqueue(1, ticket);
    assert.equal(ticket.cancel!(), true);
    await assert.rejects(p, StoreTimeoutError);
    await gc.idle();
  });
});
