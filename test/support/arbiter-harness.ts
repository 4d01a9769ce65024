// Starts the real service in-process on a random loopback port with a temp policy dir and store.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../apps/pdp/src/config/app-config';
import { createArbiterApp, type ArbiterApp } from '../../apps/pdp/src/app.factory';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface Harness {
  url: string;
  dir: string;
  policyDir: string;
  arbiter: ArbiterApp;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
  /** POST /decide with a JSON body (or a raw string sent as-is). */
  decide<T = any>(body: unknown, headers?: Record<string, string>): Promise<HttpResult<T>>;
  /** Every stored decision (follows cursors). */
  allDecisions(headers?: Record<string, string>): Promise<any[]>;
  writePolicy(relPath: string, text: string): void;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface HarnessOptions {
  /** Files of the policy directory (relative path → content). */
  policies: Record<string, string>;
  env?: Record<string, string>;
  /** Reuse a directory (restart tests): its policies/ and data/ are kept. */
  dir?: string;
}

export async function startArbiter(opts: HarnessOptions): Promise<Harness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'arbiter-e2e-'));
  const policyDir = join(dir, 'policies');
  mkdirSync(policyDir, { recursive: true });
  const writePolicy = (rel: string, text: string) => {
    mkdirSync(dirname(join(policyDir, rel)), { recursive: true });
    writeFileSync(join(policyDir, rel), text);
  };
  for (const [rel, text] of Object.entries(opts.policies)) writePolicy(rel, text);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ARBITER_POLICIES: policyDir,
    ARBITER_DATA_DIR: join(dir, 'data'),
    ARBITER_LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const arbiter = await createArbiterApp(config);
  const url = await arbiter.listen();

  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as any, text, headers: res.headers };
  };
  return {
    url,
    dir,
    policyDir,
    arbiter,
    request,
    decide: (body, headers) => request('POST', '/decide', body, headers),
    async allDecisions(headers = {}) {
      const out: any[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `?limit=1000&cursor=${encodeURIComponent(cursor)}` : '?limit=1000';
        const r = await request('GET', `/decisions${q}`, undefined, headers);
        if (r.status !== 200) throw new Error(`GET /decisions: ${r.status} ${r.text}`);
        out.push(...r.body.items);
        cursor = r.body.next_cursor;
      } while (cursor);
      return out;
    },
    writePolicy,
    async close(closeOpts = {}) {
      await arbiter.close();
      if (!closeOpts.keepDir && !opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
