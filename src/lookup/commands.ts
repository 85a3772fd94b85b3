/**
 * The lookup script's two commands, `gate` (Terraform at apply time) and `batch` (the construct at
 * synth time), with their help. Shared by the lookup script and the `dts-sync-check` tool.
 * Commands are required lazily so each pays only for what it uses.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- commands load lazily: cold start is what a CLI user feels */
import { oneShot } from './one-shot';
import { EXIT } from './protocol';

export const GATE_USAGE = `Usage: dts-sync-check gate

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
  DTS_SYNC_CHECK_START_CHECK            true: start a new check (CreateCheckSyncJob, or
                                        CreateSyncCheckJob for a 2018-03-30 job) and pass only on
                                        its verdict, within the wait; false (default): judge the
                                        check DTS has stored
  DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS  a passed check that finished longer ago than this (by the
                                        service's clock), or at an unknown time, does not count
                                        (default: any age)
  DTS_SYNC_CHECK_ENFORCE                true (default) fails the apply; false only warns
  DTS_SYNC_CHECK_CONSTRUCT_PATH         the construct path, for the message
  DTS_SYNC_CHECK_ACK_REASON, DTS_SYNC_CHECK_ACK_EXPIRES
                                        an acknowledgement: a check that has not passed only
                                        warns until the expiry (set both or neither)
  DTS_SYNC_CHECK_RATE_DIR               folder of the request rate limit every process shares
                                        (default: <tmpdir>/dts-sync-check-rate-<uid>)
  DTS_SYNC_CHECK_SHARED_RATE_LIMIT      false paces this process alone (default: true)
  Credentials, the first found: TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SESSION_TOKEN; else the
  profile TENCENTCLOUD_PROFILE in ~/.tccli/<profile>.credential or ~/.tencentcloud/credentials;
  else the CVM instance role (TENCENTCLOUD_CAM_ROLE_NAME). TENCENTCLOUD_ASSUME_ROLE_ARN and
  _SESSION_NAME (or the profile's role-arn) assume a role on top.

Exit codes: 0 passed, 1 finished and not passed (or passed longer ago than the maximum age),
            2 bad input, 3 not finished in time (with a started check: its verdict not seen),
            4 credentials, API or network error (or the service refused to start a check).
`;

export const BATCH_USAGE = `Usage: dts-sync-check batch < requests.json

The synth-time lookup of many checks (what SyncCheckResult runs while the app synthesizes).
Reads {"requests": [{"jobId", "region", "endpoint"?, "apiVersion"?, "attemptTimeoutSeconds"?,
"waitTimeoutSeconds", "pollIntervalSeconds", "maxCheckAgeSeconds"?}]} on stdin and writes
{"results": [{"report"} or {"error"}]} on stdout, in the same order. Progress goes to stderr.
It only reads: a request with "startCheck" is refused. Exits 0 when it answered, 2 when the
input is not such an object.
`;

/** The lookup commands, by name. */
export const LOOKUP_COMMANDS = ['gate', 'batch'] as const;

export function isLookupCommand(command: string | undefined): command is (typeof LOOKUP_COMMANDS)[number] {
  return (LOOKUP_COMMANDS as readonly (string | undefined)[]).includes(command);
}

/** Run `gate` or `batch`. Neither takes arguments (their parameters travel in the environment and on stdin) but `--help`. */
export async function runLookupCommand(command: (typeof LOOKUP_COMMANDS)[number], args: string[]): Promise<number> {
  const usage = command === 'gate' ? GATE_USAGE : BATCH_USAGE;
  if (args.length > 0) return helpOrUsage(command, args, usage);
  if (command === 'gate') return oneShot(() => (require('./gate') as typeof import('./gate')).runGate(process.env));
  return oneShot(() => (require('./batch') as typeof import('./batch')).runBatch(process.stdin));
}

/** `--help` prints a command's usage; anything else after an argument-less command is a usage error. */
function helpOrUsage(command: string, args: string[], usage: string): number {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(usage);
    return EXIT.PASSED;
  }
  process.stderr.write(`dts-sync-check ${command}: takes no arguments (got ${JSON.stringify(args.join(' '))})\n\n${usage}`);
  return EXIT.USAGE;
}
