import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRecordError } from './errors';
import { prepareAppend } from './record-validation';
import { isTwoByte, twoByteLatin1 } from './testing/string-form';
import { sampleRecord } from './testing/test-databases';

describe('prepareAppend', () => {
  it('stores reason codes and messages as one-byte strings, same text', () => {
    const { record, session } = sampleRecord({
      reasons: [
        { code: twoByteLatin1('toxic_flow'), message: twoByteLatin1('untrusted content may reach a public sink') },
        { code: 'unicode', message: 'fl\u00e8che \u2192 \uD800' },
      ],
    });
    const { reasons } = prepareAppend(record, session).record;
    assert.deepEqual(reasons, [
      { code: 'toxic_flow', message: 'untrusted content may reach a public sink' },
      { code: 'unicode', message: 'fl\u00e8che \u2192 \uFFFD' },
    ]);
    assert.equal(isTwoByte(reasons[0].code), false);
    assert.equal(isTwoByte(reasons[0].message), false);
    assert.equal(isTwoByte(JSON.stringify(reasons.slice(0, 1))), false);
  });

  it('makes every string field safe, whether or not it repeats the previous record', () => {
    const prep = (over: Parameters<typeof sampleRecord>[0], owner?: { ownerSubject?: string | null; ownerClientId?: string | null }) => {
      const { record, session } = sampleRecord(over);
      return prepareAppend(record, { ...session, ...owner });
    };
    const fields = { caller: 'gw', toolName: 'read_file', toolServer: 'files', policyRevision: 'rev-1', entrypoint: 'mcp/decision' } as const;
    for (let round = 0; round < 2; round++) {
      const ok = prep(fields).record;
      assert.deepEqual([ok.caller, ok.toolName, ok.toolServer, ok.policyRevision, ok.entrypoint], Object.values(fields));
      const bad = prep({ caller: 'g\0w', toolName: 'read\uD800', toolServer: '\uDC00files', policyRevision: 'rev-1\0', entrypoint: 'mcp/\0' }).record;
      assert.deepEqual(
        [bad.caller, bad.toolName, bad.toolServer, bad.policyRevision, bad.entrypoint],
        ['g\uFFFDw', 'read\uFFFD', '\uFFFDfiles', 'rev-1\uFFFD', 'mcp/\uFFFD'],
      );
    }
    assert.equal(prep({ toolServer: null, caller: undefined as unknown as null }).record.toolServer, null);
    assert.throws(() => prep({ toolName: 42 as unknown as string }), InvalidRecordError);
    assert.throws(() => prep({ policyRevision: null as unknown as string }), InvalidRecordError);
    assert.equal(prep({ toolName: '' }).record.toolName, '');
  });

  it('takes the session owner as given, the same as the record subject or not', () => {
    const x = sampleRecord({ subject: 'a\0', clientId: 'c\0' });
    const same = prepareAppend(x.record, x.session);
    assert.deepEqual([same.session.ownerSubject, same.session.ownerClientId], ['a\uFFFD', 'c\uFFFD']);
    const { record, session } = sampleRecord({ subject: 'alice', clientId: 'client-1' });
    const other = prepareAppend(record, { ...session, ownerSubject: 'bob\uD800', ownerClientId: null });
    assert.deepEqual([other.session.ownerSubject, other.session.ownerClientId], ['bob\uFFFD', null]);
    const unowned = prepareAppend({ ...record, subject: null, clientId: null }, { ...session, ownerSubject: null, ownerClientId: undefined as unknown as null });
    assert.deepEqual([unowned.session.ownerSubject, unowned.session.ownerClientId], [null, null]);
    assert.throws(() => prepareAppend(record, { ...session, ownerSubject: 7 as unknown as string }), InvalidRecordError);
  });
});
