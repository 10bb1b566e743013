import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.ts';
import { reportError, EXIT } from './errors.ts';
import { readPackageVersion } from './version.ts';

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

for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // help and version exit through here with code 0; usage errors already printed their message
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.exitCode = reportError(error, Boolean(program.opts().debug));
  }
}
