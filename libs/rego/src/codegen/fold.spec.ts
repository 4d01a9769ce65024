// Which literals fold into constants (fold.ts): only those no statement can change.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Block, Stmt } from '../planner/ir';
import { ConstFolder, foldFacts } from './fold';
import { ConstPool } from './pool';

const S = (index: number) => ({ kind: 'string', index }) as const;
const strings = ['allow', 'ask', 'k', 'v'];

function folds(stmts: Stmt[], extra: Stmt[] = []): Array<number | undefined> {
  const blocks: Block[] = [{ stmts: [...stmts, ...extra] }];
  const folder = new ConstFolder(foldFacts(blocks, [0, 1]), new ConstPool(1024), strings);
  return stmts.map((_, i) => folder.at(stmts, i)?.count);
}

const literalSet: Stmt[] = [
  { op: 'make_set', target: 3 },
  { op: 'set_add', set: 3, value: S(1) },
  { op: 'set_add', set: 3, value: S(0) },
];

test('a literal with constant contents folds, nested ones too', () => {
  assert.deepEqual(folds(literalSet), [3, undefined, undefined]);
  const nested: Stmt[] = [
    { op: 'make_string', index: 3, target: 4 },
    { op: 'make_array', capacity: 2, target: 5 },
    { op: 'array_append', array: 5, value: L(4) },
    { op: 'array_append', array: 5, value: { kind: 'bool', value: true } },
    { op: 'make_object', target: 6 },
    { op: 'object_insert', object: 6, key: S(2), value: L(5) },
  ];
  assert.deepEqual(folds(nested), [undefined, 3, undefined, undefined, 2, undefined]);
});

test('a literal anything else may add to, or whose local is set twice, does not fold', () => {
  // Another add later (a comprehension filling it).
  assert.deepEqual(folds(literalSet, [{ op: 'set_add', set: 3, value: L(9) }]), [undefined, undefined, undefined]);
  // An element that is not a constant.
  assert.deepEqual(folds([{ op: 'make_set', target: 3 }, { op: 'set_add', set: 3, value: L(0) }]), [undefined, undefined]);
  // The local is also defined elsewhere.
  assert.deepEqual(folds(literalSet, [{ op: 'assign', source: L(0), target: 3 }]), [undefined, undefined, undefined]);
  // The function adds to a value reached through a dot (it might be this literal).
  assert.deepEqual(folds(literalSet, [{ op: 'dot', source: L(7), key: S(2), target: 8 }, { op: 'set_add', set: 8, value: S(0) }]), [undefined, undefined, undefined]);
  // object_insert_once keeps its conflict check.
  assert.deepEqual(folds([{ op: 'make_object', target: 3 }, { op: 'object_insert_once', object: 3, key: S(2), value: S(3) }]), [undefined, undefined]);
});

function L(local: number) {
  return { kind: 'local', local } as const;
}
