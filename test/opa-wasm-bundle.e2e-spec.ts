// `arbiter build` output runs unmodified in plain @open-policy-agent/opa-wasm: the default
// policy pack is built into a bundle by the CLI, its policy.wasm loaded with opa-wasm's own
// loadPolicy + Arbiter's builtins as customBuiltins, and `mcp/decision` gives the same result
// as Arbiter's host loader on the same inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '@arbiter/rego/bundle';
import { loadPolicy as arbiterLoad, opaWasmCustomBuiltins } from '@arbiter/rego/host';
import { EvalContext, withEvalContext } from '@arbiter/rego/builtins';
import { runCli } from '../apps/cli/src/main';
import { repoRoot } from '../apps/pdp/src/config/app-config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const opaWasm = require('@open-policy-agent/opa-wasm') as {
  loadPolicy(wasm: Uint8Array, memory: undefined, builtins: object): Promise<{ setData(d: unknown): void; evaluate(i: unknown, e: string): unknown }>;
};

const NOW = 1_700_000_000_000_000_000;
const SEC = 1_000_000_000;
const claims = {
  iss: 'https://idp.example.com',
  sub: 'alice',
  aud: ['https://mcp.example.com/github'],
  scope: 'issues:read repo:read repo:write',
  client_id: 'agent-cli',
  exp: 1_700_000_600,
};

function input(name: string, history: Array<{ name: string; decision: string; secsAgo: number }>, scope = claims.scope): unknown {
  return {
    tool: { name, server: 'github', arguments: { owner: 'acme', repo: 'app' }, annotations: {} },
    token: { present: true, valid: true, source: 'jwt', claims: { ...claims, scope }, error: null },
    resource: 'https://mcp.example.com/github',
    session: {
      id: 's-1',
      step: history.length + 1,
      owner: { subject: 'alice', client_id: 'agent-cli' },
      owner_mismatch: false,
      history_source: 'server',
      history: history.map((h, i) => ({
        step: i + 1,
        time: '2023-11-14T22:13:20Z',
        time_ns: NOW - h.secsAgo * SEC,
        tool: { name: h.name, server: 'github', arguments: {} },
        decision: h.decision,
        reasons: [],
      })),
    },
    context: {},
    caller: { name: 'gateway', role: 'gateway', trusted: true },
    now_ns: NOW,
  };
}

const CASES = {
  'plain read': input('get_issue', []),
  'missing scope': input('get_file_contents', [], 'issues:read'),
  'toxic flow': input('create_pull_request', [
    { name: 'get_issue', decision: 'allow', secsAgo: 30 },
    { name: 'get_file_contents', decision: 'allow', secsAgo: 20 },
  ]),
  'unknown tool': input('no_such_tool', []),
};

test('arbiter build bundle evaluates mcp/decision in plain opa-wasm as in the Arbiter loader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arbiter-opa-wasm-'));
  try {
    const file = join(dir, 'bundle.tar.gz');
    const errors: string[] = [];
    const io = { cwd: repoRoot(), out: () => undefined, err: (t: string) => errors.push(t) };
    const code = await runCli(['build', 'policies', '-o', file, '-e', 'mcp/decision'], io);
    assert.equal(code, 0, errors.join('\n'));
    const bundle = await readBundle(file);
    const wasm = bundle.wasm;
    assert.ok(wasm, 'the bundle has no policy.wasm');

    const plain = await opaWasm.loadPolicy(wasm, undefined, opaWasmCustomBuiltins());
    plain.setData(bundle.data);
    const ours = await arbiterLoad(wasm, { data: bundle.data });

    const decisions = new Set<string>();
    const messages: string[] = [];
    for (const [name, i] of Object.entries(CASES)) {
      const want = ours.evaluate(i, 'mcp/decision', { nowNs: BigInt(NOW) }).result;
      const got = withEvalContext(new EvalContext({ nowNs: BigInt(NOW) }), () => plain.evaluate(i, 'mcp/decision'));
      assert.deepEqual(got, want, name);
      const d = (want as Array<{ result: { decision: string } }>)[0]?.result;
      assert.ok(d, `${name}: mcp/decision is undefined`);
      decisions.add(d.decision);
      messages.push(...(d as unknown as { reasons: Array<{ message: string }> }).reasons.map((r) => r.message));
    }
    // The inputs exercise more than one outcome (and host builtins: sprintf in the reasons).
    assert.ok(decisions.has('allow') && decisions.has('deny'), [...decisions].join(','));
    assert.ok(messages.includes('github/get_file_contents needs scope(s) repo:read'), messages.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
