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

const GATE_USAGE = `Usage: dts-sync-check gate

The apply-time gate a SyncCheckResult runs through Terraform's local-exec. It takes no
arguments: every parameter comes from the environment, so nothing user-supplied reaches a
command line.

  DTS_SYNC_CHECK_JOB_ID                 the sync job id (required)
  DTS_SYNC_CHECK_REGION                 the region (required, or TENCENTCLOUD_REGION)
  DTS_SYNC_CHECK_API_VERSION            auto (default), 2018-03-30 or 2021-12-06
  DTS_SYNC_CHECK_ENDPOINT               endpoint override (default: the public endpoint)
  DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS   wait for a running check this long (default: 300)
  DTS_SYNC_CHECK_POLL_INTERVAL_SECONDS  between two looks (default: 5)
  DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS  one HTTP attempt (default: 10)
  DTS_SYNC_CHECK_ENFORCE                true (default) fails the apply; false only warns
  DTS_SYNC_CHECK_CONSTRUCT_PATH         the construct path, for the message
  TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN, or ~/.tencentcloud/credentials

Exit codes: 0 passed, 1 finished and not passed, 2 bad input, 3 not finished in time,
            4 credentials, API or network error.
`;

const BATCH_USAGE = `Usage: dts-sync-check batch < requests.json

The synth-time lookup of many checks (what SyncCheckResult runs while the app synthesizes).
Reads {"requests": [{"jobId", "region", "endpoint"?, "apiVersion"?, "attemptTimeoutSeconds"?,
"waitTimeoutSeconds", "pollIntervalSeconds"}]} on stdin and writes {"results": [{"report"} or
{"error"}]} on stdout, in the same order. Progress goes to stderr. Exits 0 when it answered,
2 when the input is not such an object.
`;

/** `--help` prints a command's usage; anything else after an argument-less command is a usage error. */
function helpOrUsage(command: string, args: string[], usage: string): number {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(usage);
    return EXIT.PASSED;
  }
  process.stderr.write(`dts-sync-check ${command}: takes no arguments (got ${JSON.stringify(args.join(' '))})\n\n${usage}`);
  return EXIT.USAGE;
}

declare const __PACKAGE_VERSION__: string | undefined;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return oneShot(() => (require('./check') as typeof import('./check')).runCheck(rest));
    case 'gate':
      if (rest.length > 0) return helpOrUsage('gate', rest, GATE_USAGE);
      return oneShot(() => (require('./gate') as typeof import('./gate')).runGate(process.env));
    case 'batch':
      if (rest.length > 0) return helpOrUsage('batch', rest, BATCH_USAGE);
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
