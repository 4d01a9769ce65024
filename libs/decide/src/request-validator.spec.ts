import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { ArbiterError } from '@arbiter/contracts';
import { decideRequestSchema } from './request-schema';
import { plainValidRequest, validateDecideRequest } from './request-validator';

const ajvValidate = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(decideRequestSchema);

const base = {
  tool: { name: 'read_file', server: 'files', arguments: { path: '/a' }, annotations: {} },
  token: 'a.b.c',
  resource: 'https://mcp.example.com/files',
  session: { id: 'typ-1' },
  context: { gateway: 'g' },
};
const withTool = (tool: unknown) => ({ ...base, tool });
const withSession = (session: unknown) => ({ ...base, session });

// Bodies the plain check must either accept exactly as ajv does, or leave to ajv.
const cases: unknown[] = [
  base,
  { tool: { name: 'x' } },
  { tool: { name: 'x' }, claims: {} },
  { tool: { name: 'x', server: '' } },
  { tool: { name: '' } },
  { tool: { name: 'x'.repeat(256) } },
  { tool: { name: 'x'.repeat(257) } },
  { tool: { name: '😀'.repeat(200) } }, // 400 UTF-16 units, 200 code points: valid, left to ajv
  { tool: { name: 'x', server: 's'.repeat(2049) } },
  { tool: { name: 'x', arguments: [] } },
  { tool: { name: 'x', arguments: null } },
  { tool: { name: 'x', annotations: 'a' } },
  { tool: { name: 'x', extra: 1 } },
  { tool: { name: 1 } },
  { tool: {} },
  { tool: [] },
  {},
  [],
  null,
  'text',
  { ...base, extra: true },
  { ...base, token: '' },
  { ...base, token: 't'.repeat(16385) },
  { ...base, resource: '' },
  { ...base, context: [] },
  { ...base, claims: null },
  withTool({ name: 'x', server: null }),
  withSession({}),
  withSession({ id: '' }),
  withSession({ id: 'has space' }),
  withSession({ id: 'tab\there' }),
  withSession({ id: 'é' }),
  withSession({ id: '~!' }),
  withSession({ id: 'x'.repeat(257) }),
  withSession({ id: 's', history: [] }),
  withSession({ id: 's', history: [{ tool: { name: 'a' } }] }),
  withSession({ id: 's', other: 1 }),
  withSession([]),
  { ...base, token: undefined },
  JSON.parse('{"tool":{"name":"x"},"__proto__":{"name":"y"}}'),
  JSON.parse('{"tool":{"name":"x","__proto__":{}}}'),
];

test('plainValidRequest accepts only what the schema accepts', () => {
  for (const body of cases) {
    const fast = plainValidRequest(body);
    const ajv = ajvValidate(body);
    if (fast) assert.equal(ajv, true, `plain check accepted what ajv refuses: ${JSON.stringify(body)}`);
  }
  // And it does take the usual shapes.
  assert.equal(plainValidRequest(base), true);
  assert.equal(plainValidRequest({ tool: { name: 'x' } }), true);
});

test('invalid bodies still get ajv\'s error', () => {
  for (const body of cases) {
    if (ajvValidate(body)) {
      assert.equal(validateDecideRequest(body, 32), body);
      continue;
    }
    assert.throws(
      () => validateDecideRequest(body, 32),
      (e: unknown) => e instanceof ArbiterError && e.code === 'invalid_request' && Array.isArray((e.details as { errors: unknown[] }).errors),
    );
  }
  assert.throws(() => validateDecideRequest({ tool: { name: 'x', extra: 1 } }, 32), /\/tool: unknown property "extra"/);
});
