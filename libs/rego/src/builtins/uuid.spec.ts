import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, evalRule, fails } from './test-helpers';

test('uuid.parse of a version 1 UUID returns its time, clock sequence and node', () => {
  assert.deepEqual(call('uuid.parse', 'b01d0062-a116-11ee-822b-7ab0b9e5e0c0'), {
    version: 1,
    variant: 'RFC4122',
    time: 1703282931110717000n,
    clocksequence: 555,
    nodeid: '7a-b0-b9-e5-e0-c0',
    macvariables: 'local:unicast',
  });
  const v = call('uuid.parse', 'bdf46d2e-a116-11ee-8c90-0142ac120002') as Record<string, unknown>;
  assert.equal(v.clocksequence, 3216);
  assert.equal(v.macvariables, 'global:multicast');
  assert.deepEqual(call('uuid.parse', 'c2fc67c2-47f2-11ee-b67a-9f3619c7493f'), {
    version: 1,
    variant: 'RFC4122',
    time: 1693481847404333000n,
    clocksequence: 13946,
    nodeid: '9f-36-19-c7-49-3f',
    macvariables: 'local:multicast',
  });
});

test('uuid.parse of a version 2 UUID adds id and domain', () => {
  assert.deepEqual(call('uuid.parse', '000003e8-48b9-21ee-b200-325096b39f47'), {
    version: 2,
    variant: 'RFC4122',
    time: 1693566990121469600n,
    clocksequence: 12800,
    nodeid: '32-50-96-b3-9f-47',
    macvariables: 'local:unicast',
    id: 1000,
    domain: 'Person',
  });
  const v = call('uuid.parse', '000003e8-a116-21ee-8c00-0242ac120002') as Record<string, unknown>;
  assert.equal(v.version, 2);
  assert.equal(v.id, 1000);
  assert.equal(v.domain, 'Person');
  assert.equal((call('uuid.parse', '000003e8-a116-21ee-8c01-0242ac120002') as Record<string, unknown>).domain, 'Group');
  assert.equal((call('uuid.parse', '000003e8-a116-21ee-8c07-0242ac120002') as Record<string, unknown>).domain, 'Domain7');
});

test('uuid.parse of other versions returns version and variant only', () => {
  assert.deepEqual(call('uuid.parse', '6ba7b810-9dad-41d1-80b4-00c04fd430c8'), { version: 4, variant: 'RFC4122' });
  assert.deepEqual(call('uuid.parse', '886313e1-3b8a-5372-9b90-0c9aee199e5d'), { version: 5, variant: 'RFC4122' });
  assert.deepEqual(call('uuid.parse', '00000000-0000-0000-0000-000000000000'), { version: 0, variant: 'Reserved' });
  assert.deepEqual(call('uuid.parse', '6ba7b810-9dad-41d1-c0b4-00c04fd430c8'), { version: 4, variant: 'Microsoft' });
  assert.deepEqual(call('uuid.parse', '6ba7b810-9dad-41d1-e0b4-00c04fd430c8'), { version: 4, variant: 'Future' });
});

test('uuid.parse accepts the urn, braced and bare-hex forms, in either case', () => {
  const want = { version: 4, variant: 'RFC4122' };
  assert.deepEqual(call('uuid.parse', 'urn:uuid:6ba7b810-9dad-41d1-80b4-00c04fd430c8'), want);
  assert.deepEqual(call('uuid.parse', '{6BA7B810-9DAD-41D1-80B4-00C04FD430C8}'), want);
  assert.deepEqual(call('uuid.parse', '6ba7b8109dad41d180b400c04fd430c8'), want);
});

test('uuid.parse of an invalid UUID is undefined; a non-string is a type error', () => {
  for (const s of ['', 'nope', '6ba7b810-9dad-41d1-80b4-00c04fd430c', '6ba7b810-9dad-41d1-80b4-00c04fd430cg', '6ba7b8109-dad-41d1-80b4-00c04fd430c8', '{6ba7b810-9dad-41d1-80b4-00c04fd430c8']) {
    assert.equal(call('uuid.parse', s), undefined, s);
  }
  fails('uuid.parse', [42], 'eval_type_error');
});

test('uuid.parse through a compiled policy', async () => {
  assert.deepEqual(await evalRule('uuid.parse(input.id)', { id: '6ba7b810-9dad-41d1-80b4-00c04fd430c8' }), { version: 4, variant: 'RFC4122' });
  assert.equal(await evalRule('uuid.parse("x")'), undefined);
});
