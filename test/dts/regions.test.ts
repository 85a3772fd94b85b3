import { DtsInputError } from '../../src/dts/errors';
import { hostForRegion, SUPPORTED_REGIONS, validateEndpoint, validateJobId, validateRegion } from '../../src/dts/regions';

describe('regions and input validation', () => {
  test('serves exactly the 14 regions of the API page', () => {
    expect(SUPPORTED_REGIONS).toHaveLength(14);
  });

  test('finance regions get their own host, others the shared one', () => {
    expect(hostForRegion('ap-shanghai-fsi')).toBe('dts.ap-shanghai-fsi.tencentcloudapi.com');
    expect(hostForRegion('ap-shenzhen-fsi')).toBe('dts.ap-shenzhen-fsi.tencentcloudapi.com');
    expect(hostForRegion('ap-guangzhou')).toBe('dts.tencentcloudapi.com');
  });

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

  test('accepts a well-formed job id and region', () => {
    expect(validateJobId('sync-blj8wnt1')).toBe('sync-blj8wnt1');
    expect(validateRegion('na-toronto')).toBe('na-toronto');
  });

  test.each(['ap-guangzhou; id', 'us-east-1', '', 'AP-GUANGZHOU'])('rejects region %j, listing the supported ones', (region) => {
    expect(() => validateRegion(region)).toThrow(/region must be one of .*ap-guangzhou/);
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
