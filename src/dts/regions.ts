/**
 * The rule for regions and their hosts, and the validators for everything that may reach a
 * request or a shell: job ids, regions, endpoints. Each validator throws `DtsInputError`
 * naming what was wrong, what was expected, and the offending value (quoted, control
 * characters escaped, cut to a readable length).
 */
import { DtsInputError } from './errors';

export const DEFAULT_HOST = 'dts.tencentcloudapi.com';

export const JOB_ID_PATTERN = /^sync-[0-9a-z]{8}$/;

/**
 * A region id as Tencent Cloud spells them: the area (two lowercase letters: `ap`, `na`, `eu`,
 * `sa`, ...), a hyphen, the city in lowercase letters, then at most two suffixes of lowercase
 * letters or digits (`-fsi` for a finance region, `-open`, a number). No list: the service opens
 * regions faster than any list is updated, and no SDK ships one to check against; a region the
 * service does not serve is answered `UnsupportedRegion` (REFERENCE §8).
 */
export const REGION_PATTERN = /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+){0,2}$/;

/** Longer than any region id (the longest known is 17 characters); keeps error messages and headers small. */
export const REGION_MAX_LENGTH = 32;

/** A well-formed region id (`REGION_PATTERN`, at most `REGION_MAX_LENGTH` characters). */
export function isRegionId(region: unknown): region is string {
  return typeof region === 'string' && region.length <= REGION_MAX_LENGTH && REGION_PATTERN.test(region);
}

/** Finance regions (`-fsi`) are isolated from the rest: each is served on its own host. */
export function isFinanceRegion(region: string): boolean {
  return isRegionId(region) && region.endsWith('-fsi');
}

/** The host the service must be called on for a region: `dts.<region>.tencentcloudapi.com` for a finance region. */
export function hostForRegion(region: string): string {
  return isFinanceRegion(region) ? `dts.${region}.tencentcloudapi.com` : DEFAULT_HOST;
}

/** The finance region a Tencent Cloud DTS host serves (`dts.<region>-fsi.tencentcloudapi.com`), if it is a finance host. */
export function financeRegionOfHost(hostname: string): string | undefined {
  const m = /^dts\.([a-z0-9-]+)\.tencentcloudapi\.com$/.exec(hostname.toLowerCase());
  return m && isFinanceRegion(m[1]) ? m[1] : undefined;
}

/**
 * Quote a user value for an error message: bounded, and escaped so that nothing invisible
 * reaches a terminal or log: control characters, line separators and Unicode format characters
 * (bidi overrides, zero-width) all show as \uXXXX.
 */
export function quoteValue(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : String(value);
  const json = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text).replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > max ? `${json} (${text.length} characters)` : json;
}

export function validateJobId(jobId: unknown, where = 'jobId'): string {
  if (typeof jobId !== 'string' || !JOB_ID_PATTERN.test(jobId)) {
    throw new DtsInputError(`${where} must match sync-[0-9a-z]{8}, e.g. "sync-blj8wnt1" (got ${quoteValue(jobId)})`, {
      code: 'InvalidJobId',
    });
  }
  return jobId;
}

export function validateRegion(region: unknown, where = 'region'): string {
  if (!isRegionId(region)) {
    throw new DtsInputError(
      `${where} must be a Tencent Cloud region id such as "ap-guangzhou" or "ap-shanghai-fsi": lowercase area-city `
      + `with at most two suffixes, matching ${REGION_PATTERN.source} (got ${quoteValue(region)})`,
      { code: 'InvalidRegion' },
    );
  }
  return region;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Validate an endpoint override. https is required except on loopback, where http is allowed
 * so the emulator and tests work. Credentials in the URL, paths, queries and fragments are
 * refused: the endpoint travels into synthesized JSON and command environments.
 */
export function validateEndpoint(endpoint: unknown, where = 'endpoint'): URL {
  const bad = (why: string) =>
    new DtsInputError(`${where} ${why} (got ${quoteValue(typeof endpoint === 'string' ? redactUrl(endpoint) : endpoint)})`, {
      code: 'InvalidEndpoint',
    });
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > 2048 || /[\s\u0000-\u001f\u007f]/.test(endpoint)) {
    throw bad('must be an absolute URL such as "https://dts.tencentcloudapi.com" without spaces or control characters');
  }
  // Non-ASCII hosts would be turned into punycode silently: a lookalike of the real host
  // (dts.tencentcloudapı.com) must be refused, not quietly called.
  if (/[^\x21-\x7e]/.test(endpoint)) throw bad('must be written in ASCII only (no lookalike or invisible characters)');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw bad('must be an absolute URL such as "https://dts.tencentcloudapi.com"');
  }
  if (url.username || url.password) throw bad('must not contain credentials');
  // The endpoint reaches Terraform configuration, where `${...}` would be interpolated: only DNS
  // names, IPv4 addresses and the IPv6 loopback are accepted as hosts.
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(url.hostname) && url.hostname !== '[::1]') {
    throw bad('must name its host with letters, digits, dots and hyphens only');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must use https (or http on loopback)');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw bad('must use https: plain http is only allowed to loopback (127.0.0.1, ::1, localhost)');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw bad('must be a scheme, host and optional port only, with no path, query or fragment');
  }
  return url;
}

/** Hide userinfo before a URL is echoed back in an error. */
function redactUrl(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//***@');
}
