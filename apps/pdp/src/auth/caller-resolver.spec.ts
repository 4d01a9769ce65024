import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArbiterError } from '@arbiter/contracts';
import { CallerResolver } from './caller-resolver';
import { hashApiKey } from '../config/api-keys';

test('no keys: anonymous gateway+admin', () => {
  const c = new CallerResolver([]).resolve({});
  assert.equal(c.role, 'anonymous');
  assert.equal(c.canDecide && c.canAdmin, true);
  assert.equal(c.trusted, false);
});

test('keys are matched by hash from Bearer or x-api-key', () => {
  const r = new CallerResolver([
    { name: 'gw', role: 'gateway', trusted: true, hash: hashApiKey('k1') },
    { name: 'ops', role: 'admin', trusted: false, hash: hashApiKey('k2') },
  ]);
  assert.equal(r.resolve({ authorization: 'Bearer k1' }).name, 'gw');
  assert.equal(r.resolve({ 'x-api-key': 'k2' }).canAdmin, true);
  assert.equal(r.resolve({ 'x-api-key': 'k2' }).canDecide, false);
  for (const h of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic k1' }]) {
    assert.throws(() => r.resolve(h), (e: unknown) => e instanceof ArbiterError && e.code === 'unauthenticated');
  }
});
