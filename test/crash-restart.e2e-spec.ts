// kill -9 under load loses no acknowledged decision: a 200 answer means the record was committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killHard, startChild } from './support/child-service';
import { ALLOW_ALL } from './support/test-policies';

const ACKED_BEFORE_KILL = 300;
const CONCURRENCY = 32;

test('every acknowledged decision survives kill -9 and a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-crash-'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'p.rego'), ALLOW_ALL);
  const env = { ARBITER_POLICIES: join(dir, 'policies'), ARBITER_DATA_DIR: join(dir, 'data'), ARBITER_POLICY_WATCH: 'false' };
  try {
    const first = await startChild(env);
    const acked: string[] = [];
    let killed = false;
    let sent = 0;
    const worker = async (w: number) => {
      while (!killed) {
        const n = sent++;
        try {
          const res = await fetch(`${first.url}/decide`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ tool: { name: 'write', arguments: { n } }, session: { id: `crash-${w}-${n % 7}` } }),
          });
          if (res.status === 200) {
            const body = (await res.json()) as { decision_id: string };
            acked.push(body.decision_id);
            if (acked.length >= ACKED_BEFORE_KILL && !killed) {
              killed = true;
              await killHard(first.child);
            }
          }
        } catch {
          // connection reset by the kill: not acknowledged, so nothing to check
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    assert.ok(acked.length >= ACKED_BEFORE_KILL);
    assert.equal(first.child.signalCode, 'SIGKILL');

    const second = await startChild(env);
    try {
      const stored = new Set<string>();
      let cursor: string | null = null;
      do {
        const res = await fetch(`${second.url}/decisions?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
        const page = (await res.json()) as { items: Array<{ decision_id: string }>; next_cursor: string | null };
        for (const d of page.items) stored.add(d.decision_id);
        cursor = page.next_cursor;
      } while (cursor);
      const lost = acked.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged decisions were lost`);
    } finally {
      await killHard(second.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
