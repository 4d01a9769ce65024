import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyInput } from '@arbiter/contracts';
import { sortedKeys } from '@arbiter/contracts';
import { historyStep, historyStepBytes } from '@arbiter/sessions';
import { InputSerializer } from './policy-input';

function input(over: Partial<PolicyInput> = {}): PolicyInput {
  return {
    tool: { name: 'read', server: 'files', arguments: { path: '/x', n: 1 }, annotations: {} },
    token: { present: true, valid: true, source: 'jwt', claims: { aud: ['r'], sub: 'alice' }, error: null },
    resource: 'https://r',
    session: { id: 's1', step: 3, owner: { subject: 'alice', client_id: null }, owner_mismatch: false, history_source: 'server', history: [] },
    context: { ip: '10.0.0.1' },
    caller: { name: 'gw', role: 'gateway', trusted: false },
    now_ns: 1_700_000_000_000_000_000,
    ...over,
  };
}

const steps = [1, 2].map((n) =>
  historyStep({ step: n, nowNs: n * 1e9, toolName: `t${n}`, toolServer: null, args: { b: n, a: [n] }, decision: 'allow', reasons: [] }),
);

const joined = (list: typeof steps) => Buffer.concat(list.flatMap((st, i) => (i > 0 ? [Buffer.from(','), historyStepBytes(st)] : [historyStepBytes(st)])));
const empty = new Uint8Array(0);

test('full = the input with its history, keys sorted; stored = the same without history', () => {
  const s = new InputSerializer();
  const i = input();
  const { stored, full } = s.serialize(i, joined(steps));
  const text = Buffer.from(full).toString('utf8');
  const value = JSON.parse(text) as PolicyInput;
  assert.deepEqual(value, { ...i, session: { ...i.session, history: steps } });
  // Objects Arbiter builds come out with sorted keys (the request's own objects as sent).
  for (const k of ['caller', 'session', 'token'] as const) assert.equal(JSON.stringify(sortedKeys(value[k])), JSON.stringify(value[k]), k);
  assert.deepEqual(Object.keys(value.tool), Object.keys(value.tool).sort());
  assert.deepEqual(Object.keys(value), Object.keys(value).sort(), 'top-level keys sorted');
  const { history: _h, ...session } = value.session;
  assert.deepEqual(JSON.parse(stored.text), { ...value, session });
});

test('a token error, no owner and an empty history serialize too', () => {
  const s = new InputSerializer();
  const i = input({
    token: { present: true, valid: false, source: 'jwt', claims: null, error: { code: 'token_expired', message: 'expired' } },
    session: { id: 's2', step: 1, owner: null, owner_mismatch: false, history_source: 'none', history: [] },
  });
  assert.deepEqual(JSON.parse(Buffer.from(s.serialize(i, empty).full).toString('utf8')), i);
});

test('inputs larger than the scratch buffer and reuse across calls', () => {
  const s = new InputSerializer();
  const big = input({ context: { blob: 'é'.repeat(200_000) } });
  const a = s.serialize(big, joined(steps));
  assert.equal((JSON.parse(Buffer.from(a.full).toString('utf8')) as PolicyInput).context.blob, 'é'.repeat(200_000));
  const small = input();
  const b = s.serialize(small, empty);
  assert.deepEqual(JSON.parse(Buffer.from(b.full).toString('utf8')), small);
});

test('unstorable strings are sanitized in what the policy sees and what is stored', () => {
  const s = new InputSerializer();
  const { stored, full } = s.serialize(input({ context: { x: 'a\u0000b\ud800' } }), empty);
  assert.equal((JSON.parse(Buffer.from(full).toString('utf8')) as PolicyInput).context.x, 'a\ufffdb\ufffd');
  assert.equal((JSON.parse(stored.text) as PolicyInput).context.x, 'a\ufffdb\ufffd');
});
