// Durability: a child process appends under load and prints every acknowledged id; it is
// SIGKILLed mid-run; the reopened log must contain every id the child acknowledged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DecisionLog } from './decision-log';
import { createTestDatabase, type TestDbKind } from './testing/test-databases';

const ACKS_BEFORE_KILL = 400;

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts', 'register-paths.js'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** Runs the child until it acknowledged `acks` records, kills it with SIGKILL, returns the acked ids. */
function runAndKill(options: object, acks: number): Promise<{ ids: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(repoRoot(), 'scripts', 'register-paths.js'), path.join(__dirname, 'testing', 'append-child.js'), JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const ids: string[] = [];
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // an incomplete last line was not (fully) acknowledged
      for (const line of lines) if (line !== 'ready') ids.push(line);
      if (!killed && ids.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!killed) reject(new Error(`child exited early (code ${code}): ${stderr}`));
      else resolve({ ids, signal });
    });
  });
}

for (const kind of ['sqlite', 'postgres'] as TestDbKind[]) {
  describe(`durability on ${kind}`, () => {
    // SQLite also with the writer thread (an ack is its reply after COMMIT).
    const variants: Array<{ name: string; extra: object }> = [{ name: '', extra: {} }];
    if (kind === 'sqlite') variants.push({ name: ' (writer thread)', extra: { sqliteWriterThread: true } });
    for (const { name, extra } of variants) {
      it(`keeps every acknowledged record across kill -9${name}`, async () => {
        const db = await createTestDatabase(kind);
        try {
          const { ids, signal } = await runAndKill({ ...db.options, ...extra }, ACKS_BEFORE_KILL);
          assert.equal(signal, 'SIGKILL');
          assert.ok(ids.length >= ACKS_BEFORE_KILL);
          const log = await DecisionLog.open(db.options);
          try {
            const stored = new Set<string>();
            let cursor: string | undefined;
            do {
              const page = await log.list({ limit: 1000, cursor });
              for (const r of page.items) stored.add(r.id);
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            const missing = ids.filter((id) => !stored.has(id));
            assert.deepEqual(missing, [], `${missing.length} of ${ids.length} acknowledged records lost`);
            // Every session with a stored step has its row (written with its first step, in the
            // same transaction), read back with its highest stored step.
            for (let s = 0; s < 8; s++) {
              const steps = await log.sessionSteps(`durable-${s}`);
              const row = await log.getSession(`durable-${s}`);
              if (steps.length === 0) continue;
              assert.ok(row, `session durable-${s} has steps but no row`);
              assert.equal(row.lastStep, steps[steps.length - 1].step);
            }
          } finally {
            await log.close();
          }
        } finally {
          await db.cleanup();
        }
      });
    }
  });
}
