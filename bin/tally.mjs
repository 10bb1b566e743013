#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm run build`; `npm ci` builds it through `prepare`).
// In a checkout without a build, or with TALLY_FROM_SOURCE=1, it runs the TypeScript sources
// through tsx (a development dependency).
import { existsSync, readFileSync } from 'node:fs';
import { hugePageEnv, readsWholeFolder, runAgainWith } from './huge-pages.mjs';

// `tally --version` answers before anything is loaded: deployments and scripts call it often.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}

// a command that reads a whole data folder runs in a child with transparent huge pages asked for
const env = readsWholeFolder(args) ? hugePageEnv(process.env) : undefined;
if (env) {
  runAgainWith(env);
} else {
  await start();
}

async function start() {
  const compiled = new URL('../dist/cli/main.js', import.meta.url);
  if (process.env.TALLY_FROM_SOURCE !== '1' && existsSync(compiled)) {
    await import(compiled.href);
  } else {
    let tsx;
    try {
      tsx = await import('tsx/esm/api');
    } catch {
      process.stderr.write(
        'tally: no build in dist/ and no tsx to run the sources: run `npm run build`\n',
      );
      process.exit(4);
    }
    tsx.register();
    await import('../cli/main.ts');
  }
}
