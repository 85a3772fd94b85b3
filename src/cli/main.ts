/**
 * `dts-sync-check`: the command-line tool. `check` is for people and pipelines, `gate` and
 * `batch` are the lookup script's commands (the same code the construct and Terraform run), and
 * `emulator` serves the local DTS stand-in. Commands are required lazily so each pays only for
 * what it uses.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- commands load lazily: cold start is what a CLI user feels */
import { isLookupCommand, runLookupCommand } from '../lookup/commands';
import { oneShot, packageVersion } from '../lookup/one-shot';
import { EXIT } from '../lookup/protocol';

const USAGE = `Usage: dts-sync-check <command> [options]

Commands:
  check      Look up a DTS sync check and print its steps and verdict (see: dts-sync-check check --help)
  gate       The apply-time gate run by Terraform; reads DTS_SYNC_CHECK_* from the environment
  batch      The synth-time lookup of many checks; JSON on stdin and stdout
  emulator   Run the local DTS emulator (see: dts-sync-check emulator --help)

Options:
  --help     Show this help
  --version  Show the version

Exit codes: 0 passed, 1 finished and not passed, 2 bad usage or input,
            3 not finished at the deadline, 4 credentials, API or network error.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isLookupCommand(command)) return runLookupCommand(command, rest);
  switch (command) {
    case 'check':
      return oneShot(() => (require('./check') as typeof import('./check')).runCheck(rest));
    case 'emulator':
      return (require('../emulator/cli') as typeof import('../emulator/cli')).runEmulatorCli(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${packageVersion()}\n`);
      return EXIT.PASSED;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.USAGE : EXIT.PASSED;
    default:
      process.stderr.write(`dts-sync-check: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return EXIT.USAGE;
  }
}
