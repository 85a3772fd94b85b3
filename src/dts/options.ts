/**
 * `DtsClientOptions` validated once, at construction, into the settings every call uses.
 * Each message names the option in backticks and says what is expected.
 */
import type { DtsClientOptions } from './client-options';
import { Clock, SYSTEM_CLOCK } from './clock';
import { credentialProvider, ResolvedCredentials } from './credentials';
import { resolveEndpoint, ResolvedEndpoint } from './endpoints';
import { DtsInputError } from './errors';
import { quoteValue, validateRegion } from './regions';
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
  /**
   * The credentials for the next request. Resolved on first use (construction reads no files),
   * then kept; a source of temporary credentials may hand out fresh ones before they expire,
   * so a caller asks again for every attempt.
   */
  readonly credentials: () => Promise<ResolvedCredentials>;
  /** The clock every wait, backoff and deadline of the client reads (a virtual one in tests). */
  readonly clock: Clock;
}

/** Settings that are not options of the public (jsii) API: for code and tests of this package. */
export interface InternalSettings {
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

function invalid(message: string, code = 'InvalidOption'): DtsInputError {
  return new DtsInputError(message, { code });
}

/**
 * A finite number in (min, max] (or [min, max] when `minInclusive`), else an error naming the
 * option. `name` is used as given, so callers can say where (`` `pollIntervalSeconds` ``,
 * `stack/dr-check: \`pollIntervalSeconds\``, `--interval`).
 */
export function checkNumber(
  name: string,
  value: unknown,
  min: number,
  max: number,
  opts: { integer?: boolean; minInclusive?: boolean; unit?: string } = {},
): number {
  const ok = typeof value === 'number'
    && Number.isFinite(value)
    && (opts.minInclusive ? value >= min : value > min)
    && value <= max
    && (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const what = opts.unit ? `a number of ${opts.unit}` : 'a number';
    const range = opts.integer
      ? `an integer from ${opts.minInclusive ? min : min + 1} to ${max}`
      : `${what} ${opts.minInclusive ? 'from' : 'greater than'} ${min}${opts.minInclusive ? ' to' : ' and at most'} ${max}`;
    throw invalid(`${name} must be ${range} (got ${typeof value === 'number' ? String(value) : quoteValue(value)})`);
  }
  return value as number;
}

/**
 * The one table of time limits, shared by the client, the construct's props, the CLI's flags
 * and the gate's environment, so a value one of them accepts is never refused later by another.
 */
export const SECONDS_LIMITS = {
  /** 0 means: look once, then stop waiting. */
  waitTimeoutSeconds: { max: 86_400, minInclusive: true },
  pollIntervalSeconds: { max: 3_600, minInclusive: false },
  attemptTimeoutSeconds: { max: 600, minInclusive: false },
  deadlineSeconds: { max: 3_600, minInclusive: false },
  /** How old a passed check may be; a year and a day at most (an older verdict says nothing of today). */
  maxCheckAgeSeconds: { max: 31_622_400, minInclusive: false },
} as const;

export type SecondsOption = keyof typeof SECONDS_LIMITS;

/** A number of seconds within `SECONDS_LIMITS[option]`; `name` says where, defaulting to `` `option` ``. */
export function checkSeconds(option: SecondsOption, value: unknown, name = `\`${option}\``): number {
  const { max, minInclusive } = SECONDS_LIMITS[option];
  return checkNumber(name, value, 0, max, { minInclusive, unit: 'seconds' });
}

export function buildSettings(options: DtsClientOptions, env: NodeJS.ProcessEnv = process.env, internal: InternalSettings = {}): ClientSettings {
  if (typeof options !== 'object' || options === null) throw invalid('DtsClient options must be an object');

  let region: string;
  if (options.region !== undefined) {
    region = validateRegion(options.region, '`region`');
  } else if (env.TENCENTCLOUD_REGION) {
    region = validateRegion(env.TENCENTCLOUD_REGION, 'TENCENTCLOUD_REGION');
  } else {
    throw invalid('`region` is required: pass `region` (e.g. "ap-guangzhou") or set TENCENTCLOUD_REGION', 'InvalidRegion');
  }

  const endpoint = resolveEndpoint(region, options.endpoint, { env });

  const apiVersion = options.apiVersion ?? DEFAULTS.apiVersion;
  if (!Object.values(ApiVersion).includes(apiVersion)) {
    throw invalid(`\`apiVersion\` must be one of ${Object.values(ApiVersion).join(', ')} (got ${quoteValue(apiVersion)})`);
  }
  if (options.language !== undefined && !LANGUAGES.includes(options.language)) {
    throw invalid(`\`language\` must be one of ${LANGUAGES.join(', ')} (got ${quoteValue(options.language)})`);
  }

  const attemptTimeoutSeconds = checkSeconds('attemptTimeoutSeconds', options.attemptTimeoutSeconds ?? DEFAULTS.attemptTimeoutSeconds);
  const deadlineSeconds = checkSeconds('deadlineSeconds', options.deadlineSeconds ?? DEFAULTS.deadlineSeconds);
  const maxAttempts = checkNumber('`maxAttempts`', options.maxAttempts ?? DEFAULTS.maxAttempts, 1, 20, { integer: true, minInclusive: true });
  const requestsPerSecond = checkNumber('`requestsPerSecond`', options.requestsPerSecond ?? DEFAULTS.requestsPerSecond, 0, 1000);

  if (options.credentials !== undefined && (typeof options.credentials !== 'object' || options.credentials === null)) {
    throw invalid('`credentials` must be an object with `secretId` and `secretKey`');
  }
  const clock = internal.clock ?? SYSTEM_CLOCK;
  return {
    region,
    endpoint,
    apiVersion,
    language: options.language,
    attemptTimeoutMs: Math.round(attemptTimeoutSeconds * 1000),
    deadlineMs: Math.round(deadlineSeconds * 1000),
    maxAttempts,
    requestsPerSecond,
    credentials: credentialProvider(options.credentials, { env, region, attemptTimeoutMs: Math.round(attemptTimeoutSeconds * 1000), clock }),
    clock,
  };
}
