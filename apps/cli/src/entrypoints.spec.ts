import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownEntrypoints } from './entrypoints';

const modules = [
  { file: 'a.rego', text: 'package mcp.rules\n\ndecision := {"allow": true}\n\nlimits.max := 3\n\nf(x) := x\n' },
  { file: 'b.rego', text: 'package empty\n' },
];

test('entrypoints must name a rule, a path into one, or a package', () => {
  assert.deepEqual(
    unknownEntrypoints(modules, ['mcp/rules/decision', 'mcp/rules/decision/allow', 'mcp/rules/limits/max', 'mcp/rules', 'mcp', 'empty']),
    [],
  );
  assert.deepEqual(unknownEntrypoints(modules, ['mcp/rules/nope', 'other', 'empty/x', 'mcp/nope']), ['mcp/rules/nope', 'other', 'empty/x', 'mcp/nope']);
});
