import { DtsInputError } from '../../src/dts/errors';
import {
  financeRegionOfHost, hostForRegion, isFinanceRegion, isRegionId, REGION_PATTERN, validateEndpoint, validateJobId, validateRegion,
} from '../../src/dts/regions';

describe('regions as the service has them: a pattern, not a list', () => {
  test.each([
    // the 2018 page's regions, and regions opened since (REFERENCE §8)
    'ap-guangzhou', 'ap-guangzhou-open', 'ap-shanghai-fsi', 'ap-shenzhen-fsi', 'na-siliconvalley', 'eu-frankfurt',
    'ap-nanjing', 'ap-tokyo', 'ap-jakarta', 'ap-beijing-fsi', 'sa-saopaulo', 'ap-shanghai-adc', 'me-saudi-arabia', 'ap-qingyuan-2',
  ])('accepts the well-formed region id %s', (region) => {
    expect(isRegionId(region)).toBe(true);
    expect(validateRegion(region)).toBe(region);
  });

  test.each([
    ['an upper-case id', 'AP-GUANGZHOU'],
    ['an area of four letters', 'mars-north-1'],
    ['a city of digits', 'mars-1'],
    ['no city', 'ap'],
    ['an underscore', 'ap_guangzhou'],
    ['a trailing hyphen', 'ap-guangzhou-'],
    ['three suffixes', 'ap-shanghai-fsi-open-2'],
    ['a shell metacharacter', 'ap-guangzhou; id'],
    ['a newline', 'ap-guangzhou\n'],
    ['a Cyrillic lookalike', '\u0430p-guangzhou'],
    ['an id longer than any region', `ap-${'a'.repeat(40)}`],
    ['an empty string', ''],
  ])('refuses %s (%j), saying what is expected', (_what, region) => {
    expect(isRegionId(region)).toBe(false);
    expect(() => validateRegion(region, '--region')).toThrow(DtsInputError);
    expect(() => validateRegion(region, '--region')).toThrow(
      /^--region must be a Tencent Cloud region id such as "ap-guangzhou" or "ap-shanghai-fsi": lowercase area-city with at most two suffixes, matching \S+ \(got .+\)$/,
    );
  });

  test('the message names the exact pattern it enforces', () => {
    expect(() => validateRegion('x')).toThrow(REGION_PATTERN.source);
  });

  test('refuses values that are not strings', () => {
    for (const v of [undefined, null, 42, {}]) expect(() => validateRegion(v)).toThrow(/region must be a Tencent Cloud region id/);
  });
});

describe('the finance host rule', () => {
  test.each(['ap-shanghai-fsi', 'ap-shenzhen-fsi', 'ap-beijing-fsi', 'ap-guangzhou-fsi'])('every -fsi region gets its own host: %s', (region) => {
    expect(isFinanceRegion(region)).toBe(true);
    expect(hostForRegion(region)).toBe(`dts.${region}.tencentcloudapi.com`);
    expect(financeRegionOfHost(hostForRegion(region))).toBe(region);
  });

  test.each(['ap-guangzhou', 'ap-nanjing', 'ap-tokyo', 'sa-saopaulo', 'ap-guangzhou-open'])('%s uses the shared host', (region) => {
    expect(isFinanceRegion(region)).toBe(false);
    expect(hostForRegion(region)).toBe('dts.tencentcloudapi.com');
  });

  test('a malformed id is never taken for a finance region, whatever its ending', () => {
    expect(isFinanceRegion('x; id #-fsi')).toBe(false);
    expect(financeRegionOfHost('dts.tencentcloudapi.com')).toBeUndefined();
    expect(financeRegionOfHost('dts.ap-guangzhou.tencentcloudapi.com')).toBeUndefined();
  });
});

describe('job ids and endpoints', () => {
  test.each(['sync-x; rm -rf /', '$(id)', 'sync-"quoted"', 'sync-blj8wnt1\nrm', '', 'SYNC-BLJ8WNT1', 'sync-blj8wnt12'])(
    'rejects hostile or malformed job id %j, saying what is expected',
    (jobId) => {
      expect(() => validateJobId(jobId)).toThrow(DtsInputError);
      expect(() => validateJobId(jobId)).toThrow(/jobId must match sync-\[0-9a-z\]\{8\}/);
    },
  );

  test('an error quotes a newline as \\n instead of printing it', () => {
    expect(() => validateJobId('sync-a\nb')).toThrow('(got "sync-a\\nb")');
  });

  test('accepts a well-formed job id', () => {
    expect(validateJobId('sync-blj8wnt1')).toBe('sync-blj8wnt1');
  });

  test.each([
    ['http://dts.tencentcloudapi.com', /plain http is only allowed to loopback/],
    ['https://user:pw@dts.tencentcloudapi.com', /must not contain credentials/],
    ['https://dts.tencentcloudapi.com/path', /no path, query or fragment/],
    ['ftp://127.0.0.1', /must use https/],
    ['not a url', /absolute URL/],
    ['https://a${b}c.example.com', /letters, digits, dots and hyphens only/],
    ['https://xn--80ak6aa92e.com%2F', /letters, digits, dots and hyphens only|absolute URL/],
  ])('rejects endpoint %s', (endpoint, why) => {
    expect(() => validateEndpoint(endpoint)).toThrow(why);
  });

  test('never echoes the password of a refused endpoint', () => {
    expect(() => validateEndpoint('https://user:hunter2@example.com')).toThrow(/\*\*\*@example\.com/);
    expect(() => validateEndpoint('https://user:hunter2@example.com')).not.toThrow(/hunter2/);
  });

  test('allows plain http on loopback only', () => {
    expect(validateEndpoint('http://127.0.0.1:8080').port).toBe('8080');
    expect(validateEndpoint('http://[::1]:9').hostname).toBe('[::1]');
    expect(validateEndpoint('https://dts.tencentcloudapi.com').host).toBe('dts.tencentcloudapi.com');
  });
});
