/**
 * `DtsClientOptions` validated once, at construction, into the settings every call uses.
 * Each message names the option in backticks and says what is expected.
 */
import type { DtsClientOptions } from './client';
import { ResolvedCredentials, resolveCredentials } from './credentials';
import { resolveEndpoint, ResolvedEndpoint } from './endpoints';
import { DtsInputError } from './errors';
import { FINANCE_REGIONS, hostForRegion, quoteValue, validateRegion } from './regions';
import { ApiVersion } from './types';

export const DEFAULTS = {
  apiVersion: ApiVersion.AUTO,
  attemptTimeoutSeconds: 10,
  deadlineSeconds: 60,
  maxAttempts: 5,
  requestsPerSecond: 20,
  waitTimeoutSeconds: 300,
  pollIntervalSeconds: 5,
} as const;

export const LANGUAGES: readonly string[] = ['zh-CN', 'en-US'];

export interface ClientSettings {
  readonly region: string;
  readonly endpoint: ResolvedEndpoint;
  readonly apiVersion: ApiVersion;
  readonly language?: string;
  readonly attemptTimeoutMs: number;
  readonly deadlineMs: number;
  readonly maxAttempts: number;
  readonly requestsPerSecond: number;
  /** Resolved on first use, then kept: construction reads no files. */
  readonly credentials: () => ResolvedCredentials;
}

function invalid(message: string, code = 'InvalidOption'): DtsInputError {
  return new DtsInputError(message, { code });
}

/** A finite number in (min, max] (or [min, max] when `minInclusive`), else an error naming the option. */
export function checkNumber(
  name: string,
  value: unknown,
  min: number,
  max: number,
  opts: { integer?: boolean; minInclusive?: boolean } = {},
): number {
  const ok = typeof value === 'number'
    && Number.isFinite(value)
    && (opts.minInclusive ? value >= min : value > min)
    && value <= max
    && (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const range = opts.integer
      ? `an integer from ${opts.minInclusive ? min : min + 1} to ${max}`
      : `a number ${opts.minInclusive ? 'from' : 'greater than'} ${min}${opts.minInclusive ? ' to' : ' and at most'} ${max}`;
    throw invalid(`\`${name}\` must be ${range} (got ${typeof value === 'number' ? String(value) : quoteValue(value)})`);
  }
  return value as number;
}

export function buildSettings(options: DtsClientOptions, env: NodeJS.ProcessEnv = process.env): ClientSettings {
  if (typeof options !== 'object' || options === null) throw invalid('DtsClient options must be an object');

  let region: string;
  if (options.region !== undefined) {
    region = validateRegion(options.region, '`region`');
  } else if (env.TENCENTCLOUD_REGION) {
    region = validateRegion(env.TENCENTCLOUD_REGION, 'TENCENTCLOUD_REGION');
  } else {
    throw invalid('`region` is required: pass `region` (e.g. "ap-guangzhou") or set TENCENTCLOUD_REGION', 'InvalidRegion');
  }

  const endpoint = resolveEndpoint(region, options.endpoint === undefined ? undefined : validateString('endpoint', options.endpoint));
  checkFinanceHost(region, endpoint);

  const apiVersion = options.apiVersion ?? DEFAULTS.apiVersion;
  if (!Object.values(ApiVersion).includes(apiVersion)) {
    throw invalid(`\`apiVersion\` must be one of ${Object.values(ApiVersion).join(', ')} (got ${quoteValue(apiVersion)})`);
  }
  if (options.language !== undefined && !LANGUAGES.includes(options.language)) {
    throw invalid(`\`language\` must be one of ${LANGUAGES.join(', ')} (got ${quoteValue(options.language)})`);
  }

  const attemptTimeoutSeconds = checkNumber('attemptTimeoutSeconds', options.attemptTimeoutSeconds ?? DEFAULTS.attemptTimeoutSeconds, 0, 600);
  const deadlineSeconds = checkNumber('deadlineSeconds', options.deadlineSeconds ?? DEFAULTS.deadlineSeconds, 0, 3600);
  const maxAttempts = checkNumber('maxAttempts', options.maxAttempts ?? DEFAULTS.maxAttempts, 1, 20, { integer: true, minInclusive: true });
  const requestsPerSecond = checkNumber('requestsPerSecond', options.requestsPerSecond ?? DEFAULTS.requestsPerSecond, 0, 1000);

  if (options.credentials !== undefined && (typeof options.credentials !== 'object' || options.credentials === null)) {
    throw invalid('`credentials` must be an object with `secretId` and `secretKey`');
  }
  const explicit = options.credentials;
  let resolved: ResolvedCredentials | undefined;
  return {
    region,
    endpoint,
    apiVersion,
    language: options.language,
    attemptTimeoutMs: Math.round(attemptTimeoutSeconds * 1000),
    deadlineMs: Math.round(deadlineSeconds * 1000),
    maxAttempts,
    requestsPerSecond,
    credentials: () => (resolved ??= resolveCredentials(explicit)),
  };
}

function validateString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(`\`${name}\` must be a string (got ${quoteValue(value)})`, 'InvalidEndpoint');
  return value;
}

/**
 * Finance regions are isolated: a Tencent Cloud host that does not match the region can only
 * fail (or, worse, answer for another region), so refuse the pair before anything is sent.
 */
function checkFinanceHost(region: string, endpoint: ResolvedEndpoint): void {
  const hostname = endpoint.url.hostname.toLowerCase();
  if (!hostname.endsWith('.tencentcloudapi.com')) return;
  const expected = hostForRegion(region);
  const isFinanceHost = FINANCE_REGIONS.some((r) => hostname === hostForRegion(r));
  if (FINANCE_REGIONS.includes(region) ? hostname !== expected : isFinanceHost) {
    throw new DtsInputError(
      `\`endpoint\` ${quoteValue(endpoint.url.origin)} does not serve region ${region}: use https://${expected} or leave \`endpoint\` unset`,
      { code: 'InvalidEndpoint' },
    );
  }
}
