import { Command } from 'commander';
import { commandsFor } from './commands/index.ts';
import { EXIT, commandExitCode, wantsJson } from './errors.ts';
import { readPackageVersion } from './version.ts';

// A reader that stops early (`tally … | head`) closes stdout: end quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

const program = new Command()
  .name('tally')
  .description(
    'Inventory reconciliation for multi-warehouse, multi-channel operations.\n' +
      'Reconciles positions and movements from ERP, WMS, eCommerce, POS and 3PL systems\n' +
      'with versioned YAML rules, and routes exceptions to their owners in Slack.',
  )
  .version(readPackageVersion(), '-V, --version', 'print the Tally version')
  .option('--debug', 'show stack traces for unexpected errors')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  for (const command of await commandsFor(process.argv.slice(2))) await command.register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  const json = wantsJson(process.argv.slice(2));
  process.exitCode = commandExitCode(error, { debug: Boolean(program.opts().debug), json });
}
