import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fails } from './test-helpers';
import { EvalContext, withEvalContext } from './context';

test('time.parse_rfc3339_ns returns exact nanoseconds (bigint beyond 2^53)', () => {
  assert.equal(call('time.parse_rfc3339_ns', '2017-06-02T19:00:00-07:00'), 1496455200000000000n);
  assert.equal(call('time.parse_rfc3339_ns', '1970-01-01T00:00:00Z'), 0);
  assert.equal(call('time.parse_rfc3339_ns', '1970-01-01T00:00:00.000001Z'), 1000);
  assert.equal(call('time.parse_rfc3339_ns', '2023-11-14T22:13:20.123456789Z'), 1700000000123456789n);
  assert.equal(call('time.parse_rfc3339_ns', '1969-12-31T23:59:59Z'), -1000000000);
  fails('time.parse_rfc3339_ns', ['2017-02-30T00:00:00Z'], 'eval_builtin_error');
  fails('time.parse_rfc3339_ns', ['2017-06-02 19:00:00Z'], 'eval_builtin_error');
  fails('time.parse_rfc3339_ns', ['3000-01-01T00:00:00Z'], 'eval_builtin_error', /range/);
  fails('time.parse_rfc3339_ns', [5], 'eval_type_error');
});

test('time.parse_ns with Go layouts', () => {
  assert.equal(call('time.parse_ns', '2006-01-02', '2022-03-04'), 1646352000000000000n);
  assert.equal(call('time.parse_ns', 'RFC3339', '2022-03-04T05:06:07Z'), 1646370367000000000n);
  assert.equal(call('time.parse_ns', 'Jan _2 2006 3:04PM MST', 'Mar  4 2022 5:06PM UTC'), 1646413560000000000n);
  assert.equal(call('time.parse_ns', '02/01/2006 15:04:05.000 -0700', '04/03/2022 05:06:07.250 +0100'), 1646366767250000000n);
  assert.equal(call('time.parse_ns', 'Monday, January 2, 2006', 'Friday, March 4, 2022'), 1646352000000000000n);
  fails('time.parse_ns', ['2006-01-02', '2022-3-04'], 'eval_builtin_error');
  fails('time.parse_ns', ['2006-01-02', '2022-03-04x'], 'eval_builtin_error');
});

test('time.parse_duration_ns follows Go ParseDuration', () => {
  assert.equal(call('time.parse_duration_ns', '1h30m'), 5400000000000);
  assert.equal(call('time.parse_duration_ns', '1.5s'), 1500000000);
  assert.equal(call('time.parse_duration_ns', '-2ms'), -2000000);
  assert.equal(call('time.parse_duration_ns', '3µs'), 3000);
  assert.equal(call('time.parse_duration_ns', '0'), 0);
  assert.equal(call('time.parse_duration_ns', '2562047h'), 9223369200000000000n);
  fails('time.parse_duration_ns', ['5'], 'eval_builtin_error');
  fails('time.parse_duration_ns', ['1d'], 'eval_builtin_error', /unknown unit/);
  fails('time.parse_duration_ns', ['3000000h'], 'eval_builtin_error');
  fails('time.parse_duration_ns', [''], 'eval_builtin_error');
});

test('time.add_date normalises like Go AddDate and keeps nanoseconds exact', () => {
  const t = 1700000000123456789n; // 2023-11-14T22:13:20.123456789Z
  assert.equal(call('time.add_date', t, 1, 0, 0), 1731622400123456789n);
  // Jan 31 + 1 month = Mar 3 (2023 is not a leap year).
  const jan31 = call('time.parse_rfc3339_ns', '2023-01-31T00:00:00Z');
  assert.equal(call('time.add_date', jan31, 0, 1, 0), call('time.parse_rfc3339_ns', '2023-03-03T00:00:00Z'));
  assert.equal(call('time.add_date', 0, 0, 0, -1), -86400000000000);
  fails('time.add_date', [t, 1.5, 0, 0], 'eval_type_error');
  fails('time.add_date', [t, 300, 0, 0], 'eval_builtin_error', /range/);
});

test('time.date, time.clock, time.weekday in UTC and in named zones', () => {
  const t = 1700000000123456789n;
  assert.deepEqual(call('time.date', t), [2023, 11, 14]);
  assert.deepEqual(call('time.clock', t), [22, 13, 20]);
  assert.equal(call('time.weekday', t), 'Tuesday');
  assert.deepEqual(call('time.date', [t, 'Asia/Tokyo']), [2023, 11, 15]);
  assert.deepEqual(call('time.clock', [t, 'America/New_York']), [17, 13, 20]);
  assert.equal(call('time.weekday', [t, 'Asia/Tokyo']), 'Wednesday');
  assert.deepEqual(call('time.date', -1), [1969, 12, 31]);
  assert.deepEqual(call('time.date', [0, '']), [1970, 1, 1]);
  fails('time.date', [[t, 'Not/AZone']], 'eval_builtin_error');
  fails('time.date', ['x'], 'eval_type_error');
});

test('time.diff returns [y, m, d, h, min, s], order-independent', () => {
  const a = call('time.parse_rfc3339_ns', '2020-01-31T10:00:00Z');
  const b = call('time.parse_rfc3339_ns', '2021-03-01T09:30:15Z');
  assert.deepEqual(call('time.diff', a, b), [1, 1, 0, 23, 30, 15]);
  assert.deepEqual(call('time.diff', b, a), [1, 1, 0, 23, 30, 15]);
  assert.deepEqual(call('time.diff', a, a), [0, 0, 0, 0, 0, 0]);
});

test('time.now_ns is fixed within one evaluation and can be pinned', () => {
  const ctx = new EvalContext({ nowNs: '1700000000000000001' });
  withEvalContext(ctx, () => {
    assert.equal(call('time.now_ns'), 1700000000000000001n);
    assert.equal(call('time.now_ns'), call('time.now_ns'));
  });
  const free = new EvalContext();
  const now = withEvalContext(free, () => call('time.now_ns')) as bigint;
  assert.ok(typeof now === 'bigint' && now > 1600000000000000000n);
  assert.equal(free.pinned().nowNs, now.toString());
});
