#!/usr/bin/env node
// Launcher for the `arbiter` CLI: runs the compiled CLI from dist/ with the @arbiter/* aliases.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const main = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('arbiter: run `npm run build` first (dist/apps/cli/src/main.js is missing)\n');
  process.exit(2);
}
require(path.join(root, 'scripts', 'register-paths.js'));
const { runCli } = require(main);
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
