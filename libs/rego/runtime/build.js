#!/usr/bin/env node
// Builds the AssemblyScript runtime (assembly/index.ts) into build/runtime.wasm.
// The code generator loads that file and adds the policy's functions to it.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

async function main() {
  const { default: asc } = await import('assemblyscript/asc');
  const here = __dirname;
  const out = path.join(here, 'build');
  fs.mkdirSync(out, { recursive: true });
  // Internal names (used by --use abort=…) are relative to the working directory.
  process.chdir(here);
  const args = [
    'assembly/index.ts',
    '--outFile', 'build/runtime.wasm',
    '--runtime', 'stub',
    '--importMemory',
    '--noExportMemory',
    '--initialMemory', '2',
    '--use', 'abort=assembly/mem/asAbort',
    '-O3',
    '--noAssert',
    '--disableWarning', '201',
  ];
  const { error, stderr } = await asc.main(args, {});
  if (error) {
    process.stderr.write(stderr.toString());
    console.error('runtime build failed: ' + error.message);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
