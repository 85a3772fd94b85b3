/**
 * `dts-sync-check gate`: the apply-time gate Terraform runs through local-exec. Every parameter
 * comes from the environment (see protocol.ts); credentials come from the environment Terraform
 * runs in. Exit 0 only when the API said the check passed (with `DTS_SYNC_CHECK_START_CHECK`: the
 * check this gate started; with `DTS_SYNC_CHECK_MAX_CHECK_AGE_SECONDS`: recently enough).
 */
import { Acknowledgement, parseAcknowledgement, unneededAcknowledgementNote, waiverFor } from './acknowledgement';
import { lookupOne } from './lookup';
import { lookupErrorMessage, notPassedMessage, verdictLine } from './message';
import { progressReporter } from './progress';
import { asUsageError, ENV, EXIT, exitCodeFor, parseSeconds, parseSwitch, UsageError } from './protocol';
import { Clock, SYSTEM_CLOCK } from '../dts/clock';
import { resolveEndpoint } from '../dts/endpoints';
import { validateJobId, validateRegion } from '../dts/regions';
import { ApiVersion } from '../dts/types';

export async function runGate(env: NodeJS.ProcessEnv = process.env, clock: Clock = SYSTEM_CLOCK): Promise<number> {
  let params;
  try {
    params = gateParams(env, clock.now());
  } catch (e) {
    process.stderr.write(`dts-sync-check gate: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  const progress = progressReporter(process.stderr);
  const result = await lookupOne(params.request, progress.sink);
  progress.done();
  const { jobId, region, waitTimeoutSeconds } = params.request;
  const ctx = { jobId, region, constructPath: params.constructPath, waitedSeconds: waitTimeoutSeconds };
  const code = exitCodeFor(result);
  if (code === EXIT.PASSED) {
    process.stdout.write(`${verdictLine(result.report!)}\n`);
    if (params.acknowledgement) process.stdout.write(`note: ${unneededAcknowledgementNote(params.acknowledgement, clock.now())}\n`);
    return code;
  }
  const message = result.error ? lookupErrorMessage(result.error, ctx) : notPassedMessage(result.report!, ctx);
  if (!params.enforce) {
    process.stderr.write(`WARNING (report-only, the apply goes on): ${message}\n`);
    return EXIT.PASSED;
  }
  // Compared with this process's clock: an acknowledgement that expired since synthesis no longer holds.
  const waiver = params.acknowledgement && waiverFor(params.acknowledgement, result, clock.now());
  if (waiver && waiver.waived) {
    process.stderr.write(`WARNING (${waiver.warning}; the apply goes on): ${message}\n`);
    return EXIT.PASSED;
  }
  process.stderr.write(`${message}\n${waiver ? `${waiver.note}\n` : ''}`);
  return code;
}

/** Both acknowledgement variables or neither; validated with the construct's own rule. */
function gateAcknowledgement(env: NodeJS.ProcessEnv, nowMs: number): Acknowledgement | undefined {
  const reason = env[ENV.ACK_REASON];
  const expires = env[ENV.ACK_EXPIRES];
  if (reason === undefined && expires === undefined) return undefined;
  if (reason === undefined || expires === undefined) {
    throw new UsageError(`${ENV.ACK_REASON} and ${ENV.ACK_EXPIRES} are set together or not at all (only ${reason === undefined ? ENV.ACK_EXPIRES : ENV.ACK_REASON} is set)`);
  }
  return asUsageError(() => parseAcknowledgement(reason, expires, nowMs, { reason: ENV.ACK_REASON, expires: ENV.ACK_EXPIRES }));
}

function gateParams(env: NodeJS.ProcessEnv, nowMs: number) {
  const jobId = env[ENV.JOB_ID];
  const region = env[ENV.REGION] || env.TENCENTCLOUD_REGION;
  if (!jobId) throw new UsageError(`${ENV.JOB_ID} is not set: the gate reads the job id from the environment`);
  if (!region) throw new UsageError(`${ENV.REGION} (or TENCENTCLOUD_REGION) is not set: the gate reads the region from the environment`);
  // Validated here, before anything else, so a hostile value is refused and quoted (escaped,
  // bounded), never echoed raw into Terraform's output. A token job id is only known now.
  // The endpoint comes from DTS_SYNC_CHECK_ENDPOINT only, by the same rule as everywhere else.
  const endpoint = asUsageError(() => {
    validateJobId(jobId, ENV.JOB_ID);
    validateRegion(region, env[ENV.REGION] ? ENV.REGION : 'TENCENTCLOUD_REGION');
    return resolveEndpoint(region, undefined, { env }).override;
  });
  const apiVersion = env[ENV.API_VERSION] || ApiVersion.AUTO;
  if (!(Object.values(ApiVersion) as string[]).includes(apiVersion)) {
    throw new UsageError(`${ENV.API_VERSION} must be one of ${Object.values(ApiVersion).join(', ')} (got ${JSON.stringify(apiVersion)})`);
  }
  const enforceRaw = (env[ENV.ENFORCE] ?? 'true').toLowerCase();
  if (enforceRaw !== 'true' && enforceRaw !== 'false') {
    throw new UsageError(`${ENV.ENFORCE} must be true or false (got ${JSON.stringify(env[ENV.ENFORCE])})`);
  }
  const maxAgeRaw = env[ENV.MAX_CHECK_AGE];
  const maxCheckAgeSeconds = maxAgeRaw === undefined || maxAgeRaw === ''
    ? undefined
    : parseSeconds(maxAgeRaw, ENV.MAX_CHECK_AGE, 'maxCheckAgeSeconds', 0);
  return {
    request: {
      jobId,
      region,
      apiVersion,
      endpoint,
      attemptTimeoutSeconds: env[ENV.ATTEMPT_TIMEOUT] ? parseSeconds(env[ENV.ATTEMPT_TIMEOUT], ENV.ATTEMPT_TIMEOUT, 'attemptTimeoutSeconds', 10) : undefined,
      waitTimeoutSeconds: parseSeconds(env[ENV.WAIT_TIMEOUT], ENV.WAIT_TIMEOUT, 'waitTimeoutSeconds', 300),
      pollIntervalSeconds: parseSeconds(env[ENV.POLL_INTERVAL], ENV.POLL_INTERVAL, 'pollIntervalSeconds', 5),
      startCheck: parseSwitch(env[ENV.START_CHECK], ENV.START_CHECK, false),
      maxCheckAgeSeconds,
      label: jobId,
    },
    constructPath: env[ENV.CONSTRUCT_PATH] || undefined,
    enforce: enforceRaw === 'true',
    acknowledgement: gateAcknowledgement(env, nowMs),
  };
}
