/**
 * `dts-sync-check check`: the command for people and pipelines. Looks a check up once (or waits
 * for it with `--wait`), prints a table or the normalized report as JSON on stdout, and answers
 * with an exit code a shell step can branch on (see protocol.ts EXIT).
 */
import { parseArgs } from 'node:util';
import { formatReportTable } from './table';
import { DEADLINE_MARGIN_MS } from '../dts/deadline';
import { resolveEndpoint } from '../dts/endpoints';
import { DEFAULTS } from '../dts/options';
import { validateJobId, validateRegion } from '../dts/regions';
import { ApiVersion } from '../dts/types';
import { lookupOne } from '../lookup/lookup';
import { lookupErrorMessage } from '../lookup/message';
import { progressReporter } from '../lookup/progress';
import { asUsageError, BatchError, BatchRequest, BatchResult, EXIT, exitCodeFor, parseSeconds, UsageError } from '../lookup/protocol';

export const CHECK_USAGE = `Usage: dts-sync-check check --job-id ID [--region R] [options]

Looks up the pre-migration check of a Tencent Cloud DTS sync job and prints its steps and verdict.

Options:
  --job-id ID          the sync job id, e.g. sync-blj8wnt1 (required)
  --region R           the job's region, e.g. ap-guangzhou, ap-nanjing, ap-beijing-fsi (default: $TENCENTCLOUD_REGION)
  --api-version V      2018-03-30, 2021-12-06 or auto (default: auto: 2018-03-30, then 2021-12-06
                       when that action does not know the job or is not served)
  --endpoint URL       API endpoint, e.g. a local emulator (default: $DTS_SYNC_CHECK_ENDPOINT, else the public one)
  --wait               wait for a check that is still running instead of looking once
  --start-check        start a new check (CreateCheckSyncJob, or CreateSyncCheckJob for a 2018-03-30
                       job) and wait for its verdict; the check DTS had stored never counts. Not
                       read-only: needs dts:CreateCheckSyncJob / dts:CreateSyncCheckJob. Implies --wait
  --max-age S          a passed check that finished more than S seconds ago (by the service's
                       clock), or at an unknown time (2018-03-30 answers have no times), exits 1
  --timeout S          with --wait: give up after S seconds (default: 300)
  --interval S         with --wait: look every S seconds (default: 5)
  --attempt-timeout S  give up on one HTTP attempt after S seconds; retryable failures are retried (default: 10)
  --output FORMAT      table or json (default: table)
  --quiet              no progress lines on stderr
  --help               show this help

Credentials, as the tencentcloud Terraform provider and tccli find them (the first found wins):
  1. TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, with TENCENTCLOUD_SESSION_TOKEN
     (or TENCENTCLOUD_SECURITY_TOKEN, TENCENTCLOUD_TOKEN);
  2. the profile TENCENTCLOUD_PROFILE (default: default) in ~/.tccli/<profile>.credential
     (folder: TENCENTCLOUD_SHARED_CREDENTIALS_DIR), ~/.tencentcloud/credentials,
     /etc/tencentcloud/credentials;
  3. the CVM instance role: TENCENTCLOUD_CAM_ROLE_NAME, else the role the metadata service lists;
  4. then TENCENTCLOUD_ASSUME_ROLE_ARN and TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME (or the tccli
     profile's role-arn) assume a role with them (TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION, default 7200).

Deadline: the whole lookup (both API versions, retries, every look) ends within ${DEFAULTS.deadlineSeconds} s without
--wait, and within --timeout + one --interval with it (with --start-check, the create included),
plus a ${DEADLINE_MARGIN_MS / 1000} s margin. A create whose outcome is unknown (no answer) is never sent again.

Rate limit: 20 requests/s per endpoint and SecretId, shared with every process on the machine
through <tmpdir>/dts-sync-check-rate-<uid>; DTS_SYNC_CHECK_RATE_DIR moves that folder and
DTS_SYNC_CHECK_SHARED_RATE_LIMIT=false paces this process alone.

Output: the table or the JSON report on stdout; progress (with --wait) and errors on stderr.
With --output json an error is also printed on stdout as {"error": {kind, code, message, requestId}}.

Exit codes:
  0  the check passed (with --start-check: the check it started; with --max-age: recently enough)
  1  the check finished and did not pass, or passed longer ago than --max-age (or at an unknown time)
  2  bad usage or input (nothing was sent)
  3  the check has not finished (at the deadline with --wait, or now without --wait); with
     --start-check, also when the started check's verdict was not seen by the deadline
  4  credentials, API or network error, no answer before the deadline, or the service refused
     to start a check (--start-check)

Examples:
  dts-sync-check check --job-id sync-blj8wnt1 --region ap-guangzhou
  dts-sync-check check --job-id sync-blj8wnt1 --region ap-guangzhou --wait --timeout 600 --output json
  dts-sync-check check --job-id sync-blj8wnt1 --region ap-guangzhou --max-age 86400
  dts-sync-check check --job-id sync-blj8wnt1 --region ap-guangzhou --start-check --timeout 600
`;

const OPTIONS = {
  'job-id': { type: 'string' },
  'region': { type: 'string' },
  'api-version': { type: 'string' },
  'endpoint': { type: 'string' },
  'wait': { type: 'boolean' },
  'start-check': { type: 'boolean' },
  'max-age': { type: 'string' },
  'timeout': { type: 'string' },
  'interval': { type: 'string' },
  'attempt-timeout': { type: 'string' },
  'output': { type: 'string' },
  'quiet': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
} as const;

const OUTPUTS = ['table', 'json'] as const;
type Output = (typeof OUTPUTS)[number];

interface CheckParams {
  readonly request: BatchRequest;
  readonly wait: boolean;
  readonly output: Output;
  readonly quiet: boolean;
}

export async function runCheck(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let params: CheckParams | 'help';
  try {
    params = checkParams(argv, env);
  } catch (e) {
    process.stderr.write(`dts-sync-check check: ${(e as Error).message}\nRun "dts-sync-check check --help" for the options.\n`);
    return EXIT.USAGE;
  }
  if (params === 'help') {
    process.stdout.write(CHECK_USAGE);
    return EXIT.PASSED;
  }

  const { request, wait, quiet } = params;
  const progress = progressReporter(process.stderr, { quiet });
  const result = await lookupOne(request, wait ? progress.sink : undefined, { wait });
  progress.done();
  return answer(result, params);
}

function answer(result: BatchResult, { request, wait, output }: CheckParams): number {
  if (result.error) {
    const error = result.error;
    const message = lookupErrorMessage(error, { jobId: request.jobId, region: request.region });
    if (output === 'json') process.stdout.write(`${JSON.stringify({ error: errorJson(error) }, null, 2)}\n`);
    process.stderr.write(`${message}\n`);
    return exitCodeFor(result);
  }
  const report = result.report!;
  process.stdout.write(output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report));
  const code = exitCodeFor(result);
  if (code === EXIT.NOT_FINISHED && !wait && output === 'table') process.stderr.write('The check has not finished; add --wait to wait for it.\n');
  return code;
}

function errorJson(error: BatchError) {
  return { kind: error.kind, code: error.code, message: error.message, requestId: error.requestId ?? null };
}

function checkParams(argv: string[], env: NodeJS.ProcessEnv): CheckParams | 'help' {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(parseArgsMessage(e as Error & { code?: string }));
  }
  if (values.help) return 'help';

  const jobIdRaw = values['job-id'];
  if (jobIdRaw === undefined) throw new UsageError('--job-id is required: the sync job id, e.g. --job-id sync-blj8wnt1');
  const jobId = asUsageError(() => validateJobId(jobIdRaw, '--job-id'));

  const regionFromFlag = values.region !== undefined;
  const regionRaw = values.region ?? (env.TENCENTCLOUD_REGION || undefined);
  if (regionRaw === undefined) {
    throw new UsageError('--region is required when TENCENTCLOUD_REGION is not set: the job\'s region, e.g. --region ap-guangzhou');
  }
  const region = asUsageError(() => validateRegion(regionRaw, regionFromFlag ? '--region' : 'TENCENTCLOUD_REGION'));

  const endpoint = asUsageError(() => resolveEndpoint(region, values.endpoint, { env, optionName: '--endpoint' }).override);

  const apiVersion = values['api-version'] ?? ApiVersion.AUTO;
  const versions = Object.values(ApiVersion) as string[];
  if (!versions.includes(apiVersion)) {
    throw new UsageError(`--api-version must be one of ${versions.join(', ')} (got ${JSON.stringify(apiVersion)})`);
  }

  const output = values.output ?? 'table';
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError(`--output must be table or json (got ${JSON.stringify(output)})`);
  }

  const startCheck = values['start-check'] ?? false;
  // A started check is waited for: its verdict is why it was started.
  const wait = (values.wait ?? false) || startCheck;
  for (const flag of ['timeout', 'interval'] as const) {
    if (values[flag] !== undefined && !wait) {
      throw new UsageError(`--${flag} only applies with --wait or --start-check (without them the check is looked up once)`);
    }
  }
  const maxCheckAgeSeconds = values['max-age'] === undefined ? undefined : parseSeconds(values['max-age'], '--max-age', 'maxCheckAgeSeconds', 0);
  const timeout = parseSeconds(values.timeout, '--timeout', 'waitTimeoutSeconds', 300);
  const interval = parseSeconds(values.interval, '--interval', 'pollIntervalSeconds', 5);
  const attemptTimeoutSeconds = values['attempt-timeout'] === undefined
    ? undefined
    : parseSeconds(values['attempt-timeout'], '--attempt-timeout', 'attemptTimeoutSeconds', 10);

  return {
    request: {
      jobId,
      region,
      endpoint,
      apiVersion,
      attemptTimeoutSeconds,
      waitTimeoutSeconds: timeout,
      pollIntervalSeconds: interval,
      maxCheckAgeSeconds,
      startCheck,
      label: jobId,
    },
    wait,
    output: output as Output,
    quiet: values.quiet ?? false,
  };
}


/**
 * `--timeout -5`: node:util reads `-5` as an option and reports the value as missing. Joined as
 * `--timeout=-5` it reaches the flag's own check, which says what is wrong with it.
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const isValueFlag = flag.startsWith('--') && (OPTIONS as Record<string, { type: string }>)[flag.slice(2)]?.type === 'string';
    if (isValueFlag && /^-[\d.]/.test(argv[i + 1] ?? '')) {
      out.push(`${flag}=${argv[++i]}`);
    } else {
      out.push(flag);
    }
  }
  return out;
}

/** node:util's messages are right but generic; say which flags exist. */
function parseArgsMessage(e: Error & { code?: string }): string {
  const known = Object.keys(OPTIONS).map((k) => `--${k}`).join(', ');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = /'([^']+)'/.exec(e.message)?.[1] ?? 'an option';
      return `unknown option ${flag} (the options are ${known})`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']*)'/.exec(e.message)?.[1];
      return `unexpected argument${arg === undefined ? '' : ` ${JSON.stringify(arg)}`}: every value follows its flag, e.g. --job-id sync-blj8wnt1`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /'(--[\w-]+)/.exec(e.message)?.[1];
      if (flag && (OPTIONS as Record<string, { type: string }>)[flag.slice(2)]?.type === 'boolean') {
        return `${flag} is a switch and takes no value`;
      }
      return flag ? `${flag} needs a value, e.g. ${example(flag)}` : e.message;
    }
    default:
      return e.message;
  }
}

function example(flag: string): string {
  const examples: Record<string, string> = {
    '--job-id': '--job-id sync-blj8wnt1',
    '--region': '--region ap-guangzhou',
    '--api-version': '--api-version 2021-12-06',
    '--endpoint': '--endpoint http://127.0.0.1:8080',
    '--timeout': '--timeout 600',
    '--max-age': '--max-age 86400',
    '--interval': '--interval 5',
    '--attempt-timeout': '--attempt-timeout 5',
    '--output': '--output json',
  };
  return examples[flag] ?? `${flag} VALUE`;
}
