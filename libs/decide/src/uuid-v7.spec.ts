import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from './uuid-v7';

test('uuidv7: version 7, RFC variant, time-ordered across milliseconds, unique', () => {
  const seen = new Set<string>();
  let prev = '';
  for (let i = 0; i < 2000; i++) {
    const id = uuidv7(1_700_000_000_000 + i);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(id > prev, 'later milliseconds sort later');
    prev = id;
    seen.add(id);
  }
  assert.equal(seen.size, 2000);
  assert.equal(uuidv7(0x0123456789ab).slice(0, 13), '01234567-89ab');
});
