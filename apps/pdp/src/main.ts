// Entry point: `node dist/apps/pdp/src/main.js`. Registers the @arbiter/* path aliases first.
/* eslint-disable @typescript-eslint/no-require-imports */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

function registerAliases(): void {
  // dist/apps/pdp/src/main.js → <repo>/scripts/register-paths.js (maps aliases onto dist/).
  const script = resolve(__dirname, '../../../../scripts/register-paths.js');
  if (__filename.endsWith('.js') && existsSync(script)) require(script);
}

async function main(): Promise<void> {
  registerAliases();
  const { loadConfig } = require('./config/app-config') as typeof import('./config/app-config');
  const { ConfigError } = require('./config/config-error') as typeof import('./config/config-error');
  const { createArbiterApp } = require('./app.factory') as typeof import('./app.factory');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`arbiter: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const arbiter = await createArbiterApp(config);
  arbiter.app.enableShutdownHooks();
  await arbiter.listen();
}

main().catch((err) => {
  process.stderr.write(`arbiter: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
