// `not` and `every` over bodies that iterate: decided by whether a solution exists, not by
// whether the scan completed (it always does). Checked on the IR interpreter and on Wasm.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evalBoth as both } from './eval-both';

const cases: Array<[string, string, unknown, unknown]> = [
  ['not over a wildcard ref, no match', 'r if { not input.x[_] == 2 }', { x: [1, 3] }, true],
  ['not over a wildcard ref, a match', 'r if { not input.x[_] == 2 }', { x: [1, 2] }, undefined],
  ['not over an empty collection', 'r if { not input.x[_] == 2 }', { x: [] }, true],
  ['not over a local collection', 'r if { xs := input.x; not xs[_] }', { x: [false] }, true],
  ['not over a missing collection', 'r if { not input.nope[_] }', {}, true],
  ['every whose body iterates: one element fails', 'r if { every g in input.gs { some m in g; m == "a" } }', { gs: [['a'], ['b']] }, undefined],
  ['every whose body iterates: all hold', 'r if { every g in input.gs { some m in g; m == "a" } }', { gs: [['a'], ['b', 'a']] }, true],
  ['every with a ref iteration in the body', 'r if { every g in input.gs { g[_] == "a" } }', { gs: [['a'], ['b']] }, undefined],
  ['every under not, through a rule', 'pos if { every x in input.x { x > 0 } }\nr if not pos', { x: [1, -1] }, true],
  ['negation in a loop is re-evaluated per element', 'r := [x | some x in input.x; not input.bad[_] == x]', { x: [1, 2, 3], bad: [2] }, [1, 3]],
];

describe('negation over iteration', () => {
  for (const [name, body, input, want] of cases) {
    test(name, async () => {
      const { wasm, ir } = await both(`package t\n${body}\n`, input);
      assert.deepEqual(wasm, want, 'wasm');
      assert.deepEqual(ir, want, 'interpreter');
    });
  }
});
