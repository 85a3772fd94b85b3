/**
 * Where a client sends its requests, what Host it signs, and which API version answered there.
 */
import { hostForRegion, validateEndpoint } from './regions';
import { ApiVersion } from './types';

/** The service name of the credential scope: always `dts`, also behind an endpoint override. */
export const SERVICE = 'dts';

export interface ResolvedEndpoint {
  /** scheme://host[:port] */
  readonly url: URL;
  /** The Host header, signed: the host with its port when the port is not the scheme's default (URL drops defaults). */
  readonly host: string;
}

export function resolveEndpoint(region: string, endpoint?: string): ResolvedEndpoint {
  const url = endpoint === undefined ? new URL(`https://${hostForRegion(region)}`) : validateEndpoint(endpoint);
  return { url, host: url.host };
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
