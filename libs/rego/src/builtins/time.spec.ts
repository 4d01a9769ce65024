import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, compileErrors, evalRule, fails } from './test-helpers';
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

test('time.format defaults to RFC3339Nano in UTC', () => {
  assert.equal(call('time.format', 1700000000123456789n), '2023-11-14T22:13:20.123456789Z');
  assert.equal(call('time.format', 0), '1970-01-01T00:00:00Z'); // .999… drops an all-zero fraction
  assert.equal(call('time.format', 1500000000), '1970-01-01T00:00:01.5Z');
  assert.equal(call('time.format', -1), '1969-12-31T23:59:59.999999999Z');
  assert.equal(call('time.format', [0, '']), '1970-01-01T00:00:00Z');
  assert.equal(call('time.format', [0, 'UTC']), '1970-01-01T00:00:00Z');
  assert.equal(call('time.format', [0, 'Local', 'MST -07:00']), 'UTC +00:00'); // Local is UTC here
});

test('time.format in named zones', () => {
  const t = 1700000000123456789n; // 2023-11-14T22:13:20.123456789Z
  assert.equal(call('time.format', [t, 'America/New_York']), '2023-11-14T17:13:20.123456789-05:00');
  assert.equal(call('time.format', [t, 'Asia/Kolkata', 'RFC3339']), '2023-11-15T03:43:20+05:30');
  assert.equal(call('time.format', [t, 'America/New_York', 'MST']), 'EST');
  // Daylight saving time: 2023-07-22T04:26:40Z.
  assert.equal(call('time.format', [1690000000000000000n, 'Europe/Paris', 'RFC1123']), 'Sat, 22 Jul 2023 06:26:40 CEST');
  fails('time.format', [[t, 'Not/AZone']], 'eval_builtin_error', /time zone/);
});

test('time.format with Go layouts and named constants', () => {
  const t = 1700000000123456789n;
  const f = (layout: string, tz = 'UTC') => call('time.format', [t, tz, layout]);
  assert.equal(f('ANSIC'), 'Tue Nov 14 22:13:20 2023');
  assert.equal(f('UnixDate'), 'Tue Nov 14 22:13:20 UTC 2023');
  assert.equal(f('RubyDate'), 'Tue Nov 14 22:13:20 +0000 2023');
  assert.equal(f('RFC822'), '14 Nov 23 22:13 UTC');
  assert.equal(f('RFC822Z'), '14 Nov 23 22:13 +0000');
  assert.equal(f('RFC850'), 'Tuesday, 14-Nov-23 22:13:20 UTC');
  assert.equal(f('RFC1123Z'), 'Tue, 14 Nov 2023 22:13:20 +0000');
  assert.equal(f('RFC3339'), '2023-11-14T22:13:20Z');
  assert.equal(f('Kitchen'), '10:13PM');
  assert.equal(f('StampMilli'), 'Nov 14 22:13:20.123');
  assert.equal(f('StampMicro'), 'Nov 14 22:13:20.123456');
  assert.equal(f('DateOnly'), '2023-11-14');
  // Element by element.
  assert.equal(f('January Jan 1 01 Monday Mon 2 02 _2 06 2006'), 'November Nov 11 11 Tuesday Tue 14 14 14 23 2023');
  assert.equal(f('15 3 03 4 04 5 05 PM pm'), '22 10 10 13 13 20 20 PM pm');
  assert.equal(f('002 __2'), '318 318');
  assert.equal(f('.0 .000 .999999 ,000'), '.1 .123 .123456 ,123');
  assert.equal(f('-07 -0700 -07:00 -07:00:00 Z07 Z0700 Z07:00', 'Asia/Kolkata'), '+05 +0530 +05:30 +05:30:00 +05 +0530 +05:30');
  assert.equal(f('Z07:00 Z0700 -07:00'), 'Z Z +00:00');
  // Single-digit and space-padded forms, morning hours on a 12-hour clock.
  const morning = 1704070805000000000n; // 2024-01-01T01:00:05Z
  assert.equal(call('time.format', [morning, '', '1/2 _2 3:4:5 03PM pm .999']), '1/1  1 1:0:5 01AM am ');
  assert.equal(call('time.format', [1704067200000000000n, '', '3PM']), '12AM'); // midnight
  assert.equal(f('literal text: 2006'), 'literal text: 2023');
});

test('time.format argument errors', () => {
  fails('time.format', ['x'], 'eval_type_error');
  fails('time.format', [[0]], 'eval_type_error');
  fails('time.format', [[0, 'UTC', 'RFC3339', 'extra']], 'eval_type_error');
  fails('time.format', [[0, 1]], 'eval_type_error');
  fails('time.format', [[0, 'UTC', 7]], 'eval_type_error');
});

test('time.format through a compiled policy', async () => {
  assert.equal(await evalRule('time.format([1700000000123456789, "America/New_York", "2006-01-02 15:04 MST"])'), '2023-11-14 17:13 EST');
  assert.equal(await evalRule('time.format(input.t)', { t: 0 }), '1970-01-01T00:00:00Z');
  assert.equal(await evalRule('time.format([0, "Not/AZone"])'), undefined);
  assert.match((await compileErrors('time.format("x")')).join('\n'), /rego_type_error/);
});
