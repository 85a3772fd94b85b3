#!/usr/bin/env node
/**
 * The executable entry of the lookup script: the construct runs its `batch` at synth time and
 * Terraform its `gate` at apply time. It holds the lookup only (no emulator, no `check`), so the
 * gate Terraform starts once per check loads no more than it needs.
 */
import { isLookupCommand, runLookupCommand } from './commands';
import { packageVersion, runAsProcess } from './one-shot';
import { EXIT } from './protocol';

const USAGE = `Usage: dts-sync-check-lookup <gate|batch> [--help]

The lookup script of cdktf-dts-sync-check: \`gate\` is the apply-time gate Terraform runs,
\`batch\` the synth-time lookup the construct runs. For \`check\` and \`emulator\`, use the
dts-sync-check command of the package.
`;

async function lookupMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isLookupCommand(command)) return runLookupCommand(command, rest);
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.PASSED;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return EXIT.PASSED;
  }
  process.stderr.write(`dts-sync-check-lookup: ${command === undefined ? 'a command is required' : `unknown command ${JSON.stringify(command)}`}\n\n${USAGE}`);
  return EXIT.USAGE;
}

runAsProcess('dts-sync-check-lookup', lookupMain);
