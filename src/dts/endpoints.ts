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
 * Process-wide memory of the version that answers at a host, learned when the 2018-03-30 action
 * was refused (`ActionOffline` & co): later AUTO calls go straight to 2021-12-06.
 */
const learnedVersions = new Map<string, ApiVersion.V2021_12_06>();

export function learnedVersion(host: string): ApiVersion.V2021_12_06 | undefined {
  return learnedVersions.get(host);
}

export function rememberVersion(host: string, version: ApiVersion.V2021_12_06): void {
  learnedVersions.set(host, version);
}

/** For tests: forget what was learned. */
export function forgetLearnedVersions(): void {
  learnedVersions.clear();
}

/** Codes saying "this action/version is not served here", which trigger the AUTO fallback. */
export const VERSION_GONE_CODES: readonly string[] = ['ActionOffline', 'InvalidAction', 'NoSuchVersion'];
