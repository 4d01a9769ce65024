#!/usr/bin/env node
// Runs every compiled spec under dist/ with Node's test runner.
// Usage: node scripts/run-tests.js [substring-filter]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const filter = process.argv[2];

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(e2e-)?spec\.js$/.test(entry.name)) out.push(full);
  }
  return out;
}

const files = walk(dist, [])
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error('no test files found under dist/ (did the build run?)');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['-r', path.join(__dirname, 'register-paths.js'), '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
