/**
 * `dts-sync-check`: the lookup script. The same program answers the construct at synth time
 * (`batch`), Terraform at apply time (`gate`), people and pipelines (`check`), and serves the
 * local emulator (`emulator`). Commands are required lazily so each pays only for what it uses.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- commands load lazily: cold start is what a CLI user feels */
import { EXIT } from './protocol';

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

declare const __PACKAGE_VERSION__: string | undefined;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return oneShot(() => (require('./check') as typeof import('./check')).runCheck(rest));
    case 'gate':
      return oneShot(() => (require('./gate') as typeof import('./gate')).runGate(process.env));
    case 'batch':
      return oneShot(() => (require('./batch') as typeof import('./batch')).runBatch(process.stdin));
    case 'emulator':
      return (require('../emulator/cli') as typeof import('../emulator/cli')).runEmulatorCli(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${version()}\n`);
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

/**
 * A lookup process lives for one answer: it may trade V8's optimizing WebAssembly compile (which
 * the process would otherwise wait for at exit) for start-up time, and it closes its kept-alive
 * connections as soon as it has answered.
 */
async function oneShot(run: () => Promise<number>): Promise<number> {
  const http = require('../dts/http') as typeof import('../dts/http');
  http.preferFastStartup();
  try {
    return await run();
  } finally {
    await http.closeConnections();
  }
}

function version(): string {
  if (typeof __PACKAGE_VERSION__ === 'string') return __PACKAGE_VERSION__;
  return (require('../../package.json') as { version: string }).version;
}
