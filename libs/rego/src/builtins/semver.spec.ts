import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';

test('semver.compare orders versions per SemVer 2.0.0', () => {
  assert.equal(call('semver.compare', '1.2.3', '1.2.3'), 0);
  assert.equal(call('semver.compare', '1.2.3', '1.10.0'), -1);
  assert.equal(call('semver.compare', '2.0.0', '1.99.99'), 1);
  assert.equal(call('semver.compare', '1.0.0-alpha', '1.0.0'), -1);
  assert.equal(call('semver.compare', '1.0.0-alpha.2', '1.0.0-alpha.10'), -1);
  assert.equal(call('semver.compare', '1.0.0+build1', '1.0.0+build2'), 0);
  fails('semver.compare', ['v1.0.0', '1.0.0'], 'eval_builtin_error', /not a valid SemVer/);
  fails('semver.compare', ['1.0', '1.0.0'], 'eval_builtin_error');
  fails('semver.compare', [1, '1.0.0'], 'eval_type_error');
});

test('semver.is_valid', () => {
  assert.equal(call('semver.is_valid', '1.0.0'), true);
  assert.equal(call('semver.is_valid', '1.0.0-rc.1+meta'), true);
  assert.equal(call('semver.is_valid', '01.0.0'), false);
  assert.equal(call('semver.is_valid', 'v1.0.0'), false);
  assert.equal(call('semver.is_valid', 100), false);
});
