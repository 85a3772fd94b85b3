/**
 * Where a client sends its requests, what Host it signs, and which API version answered there.
 */
import { DtsInputError } from './errors';
import { financeRegionOfHost, hostForRegion, isFinanceRegion, quoteValue, validateEndpoint } from './regions';
import { ApiVersion } from './types';

/** The service name of the credential scope: always `dts`, also behind an endpoint override. */
export const SERVICE = 'dts';

/** Overrides the endpoint wherever no `endpoint` option (flag, prop) is given: the client, the CLI, the gate, the construct. */
export const ENDPOINT_ENV = 'DTS_SYNC_CHECK_ENDPOINT';

export interface ResolvedEndpoint {
  /** scheme://host[:port] */
  readonly url: URL;
  /** The Host header, signed: the host with its port when the port is not the scheme's default (URL drops defaults). */
  readonly host: string;
  /** The override in force (option or environment), as given; undefined when the public host is used. */
  readonly override?: string;
}

/** How the caller names its option in messages (`` `endpoint` ``, `--endpoint`, `stack/check: \`endpoint\``). */
export interface EndpointSource {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default '`endpoint`' */
  readonly optionName?: string;
}

/**
 * The override in force, by THE endpoint rule: the option when given, else `DTS_SYNC_CHECK_ENDPOINT`
 * when set and not empty, else none (the region's public host). Validated, naming where it came
 * from. For callers that only pass the override on (the construct's synth-time request).
 */
export function endpointOverride(option: unknown, source: EndpointSource = {}): string | undefined {
  return chooseOverride(option, source)?.value;
}

function chooseOverride(option: unknown, source: EndpointSource): { value: string; where: string; url: URL } | undefined {
  if (option !== undefined) {
    const where = source.optionName ?? '`endpoint`';
    if (typeof option !== 'string') {
      throw new DtsInputError(`${where} must be a string (got ${quoteValue(option)})`, { code: 'InvalidEndpoint' });
    }
    return { value: option, where, url: validateEndpoint(option, where) };
  }
  const fromEnv = (source.env ?? process.env)[ENDPOINT_ENV];
  if (fromEnv === undefined || fromEnv === '') return undefined;
  return { value: fromEnv, where: ENDPOINT_ENV, url: validateEndpoint(fromEnv, ENDPOINT_ENV) };
}

/**
 * Where requests for `region` go, by THE endpoint rule (the option, then `DTS_SYNC_CHECK_ENDPOINT`,
 * then the public host: `dts.tencentcloudapi.com`, or `dts.<region>.tencentcloudapi.com` for a
 * finance region). `DtsClient`, `lookupMany`, the CLI and the gate all resolve it here.
 *
 * Finance regions are isolated: a Tencent Cloud host that does not match the region can only fail
 * (or, worse, answer for another region), so such a pair is refused before anything is sent.
 */
export function resolveEndpoint(region: string, option?: unknown, source: EndpointSource = {}): ResolvedEndpoint {
  const chosen = chooseOverride(option, source);
  if (!chosen) return { url: new URL(`https://${hostForRegion(region)}`), host: hostForRegion(region) };
  const hostname = chosen.url.hostname.toLowerCase();
  if (hostname.endsWith('.tencentcloudapi.com')) {
    const servedRegion = financeRegionOfHost(hostname);
    if (isFinanceRegion(region) ? hostname !== hostForRegion(region) : servedRegion !== undefined) {
      throw new DtsInputError(
        `${chosen.where} ${quoteValue(chosen.url.origin)} does not serve region ${region}: use https://${hostForRegion(region)} or leave it unset`,
        { code: 'InvalidEndpoint' },
      );
    }
  }
  return { url: chosen.url, host: chosen.url.host, override: chosen.value };
}

/**
 * Process-wide memory of which API version answers, so a wait or a batch pays the AUTO fallback
 * once, not on every look: per host when the 2018-03-30 action is not served there at all
 * (`ActionOffline` & co), per job when the job belongs to the 2021-12-06 family.
 */
const learnedVersions = new Map<string, ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06>();

const hostKey = (host: string) => `${host}\n*`;
const jobKey = (host: string, jobId: string) => `${host}\n${jobId}`;

/** The version that answered for this job (or for every job) at this host, if learned. */
export function learnedVersion(host: string, jobId: string): ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06 | undefined {
  return learnedVersions.get(jobKey(host, jobId)) ?? learnedVersions.get(hostKey(host));
}

/** Remember the version that answered for a job, or for every job at the host when `jobId` is undefined. */
export function rememberVersion(host: string, jobId: string | undefined, version: ApiVersion.V2018_03_30 | ApiVersion.V2021_12_06): void {
  learnedVersions.set(jobId === undefined ? hostKey(host) : jobKey(host, jobId), version);
}

/** For tests: forget what was learned. */
export function forgetLearnedVersions(): void {
  learnedVersions.clear();
}

/**
 * Codes saying "this action or version is not served here". Which one the retired 2018-03-30
 * action answers today is not documented (shared/REFERENCE.md §8), so each of them sends AUTO on.
 */
export const VERSION_GONE_CODES: readonly string[] = ['ActionOffline', 'InvalidAction', 'NoSuchVersion', 'UnsupportedOperation'];

/** The 2018-03-30 action's answer for a job it does not know: a 2021-12-06 job looks the same (`sync-xxxxxxxx`). */
export const JOB_NOT_IN_2018 = 'ResourceNotFound.JobNotExist';

/** How the 2021-12-06 action says it does not know a job. */
export const JOB_NOT_IN_2021: readonly string[] = [
  'ResourceNotFound.ResourceNotFoundError',
  'ResourceNotFound.BizResourceNotFoundError',
  'ResourceNotFound.JobNotExist',
  'ResourceNotFound',
];
