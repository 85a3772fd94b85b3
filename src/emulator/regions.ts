/**
 * Regions as the service has them: no list (Tencent Cloud opens regions, and no SDK ships a DTS
 * region list), but the shape every region id has, and the finance regions' own hosts.
 *
 * Defined here for now: the client's `src/dts/regions.ts` is moving from its 14-region list to
 * the same pattern; once it exports these helpers, the emulator should import them instead.
 */

/** Lowercase `area-city` with optional suffixes: `ap-guangzhou`, `ap-guangzhou-open`, `ap-shanghai-fsi`. */
export const REGION_PATTERN = /^[a-z]{2,4}-[a-z]+(-[a-z0-9]+)*$/;

/** Longer ids are refused before the pattern runs. */
const MAX_REGION_LENGTH = 40;

/** The host every region but the finance ones is called on. */
export const DEFAULT_DTS_HOST = 'dts.tencentcloudapi.com';

export function isWellFormedRegion(region: unknown): region is string {
  return typeof region === 'string' && region.length <= MAX_REGION_LENGTH && REGION_PATTERN.test(region);
}

/** Finance regions (`-fsi`) are isolated: each is called on its own host. */
export function isFinanceRegion(region: string): boolean {
  return region.endsWith('-fsi');
}

/** The host the service must be called on for a region. */
export function dtsHostForRegion(region: string): string {
  return isFinanceRegion(region) ? `dts.${region}.tencentcloudapi.com` : DEFAULT_DTS_HOST;
}

/** The finance region a host belongs to (`dts.ap-shanghai-fsi.tencentcloudapi.com`), if it is a finance host. */
export function financeRegionOfHost(host: string): string | undefined {
  const m = /^dts\.([a-z0-9-]+-fsi)\.tencentcloudapi\.com$/.exec(host);
  return m ? m[1] : undefined;
}
