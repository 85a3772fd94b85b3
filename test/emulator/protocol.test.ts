import { call, send } from './raw-client';
import { RunningEmulator, startEmulator } from '../../src/emulator';

let emu: RunningEmulator;
let retired: RunningEmulator;
let strict: RunningEmulator;
let limited: RunningEmulator;
let regional: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ rateLimitPerSecond: 0 });
  retired = await startEmulator({ retired2018: true });
  strict = await startEmulator({ strictFinanceHost: true });
  limited = await startEmulator({ rateLimitPerSecond: 5 });
  regional = await startEmulator({
    rateLimitPerSecond: 0,
    strictFinanceHost: true,
    jobs: [
      { jobId: 'sync-tokyo001', region: 'ap-tokyo' },
      { jobId: 'sync-bjfsi001', region: 'ap-beijing-fsi' },
    ],
  });
});

afterAll(async () => {
  await Promise.all([emu, retired, strict, limited, regional].map((e) => e?.close()));
});

describe('actions and versions', () => {
  test.each([
    ['an unknown action', 'DescribeSyncJobs', '2018-03-30', 'InvalidAction'],
    ['the 2021 action at the 2018 version', 'DescribeCheckSyncJobResult', '2018-03-30', 'InvalidAction'],
    ['the 2018 action at the 2021 version', 'DescribeSyncCheckJob', '2021-12-06', 'InvalidAction'],
    ['an unknown version', 'DescribeSyncCheckJob', '2019-01-01', 'NoSuchVersion'],
  ])('%s (%s @ %s) answers %s', async (_what, action, version, code) => {
    const res = await call(emu.url, { action, version });
    expect(res.status).toBe(200);
    expect(res.code).toBe(code);
  });

  test('a missing X-TC-Action or X-TC-Version answers MissingParameter', async () => {
    expect((await call(emu.url, { headers: { 'x-tc-action': undefined } })).code).toBe('MissingParameter');
    expect((await call(emu.url, { headers: { 'x-tc-version': undefined } })).code).toBe('MissingParameter');
  });

  test('a retired 2018 action answers ActionOffline while 2021 still answers', async () => {
    expect((await call(retired.url, { jobId: 'sync-blj8wnt1' })).code).toBe('ActionOffline');
    const res = await call(retired.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-pass2021' });
    expect(res.response.Status).toBe('success');
  });
});

describe('parameters', () => {
  test.each([
    ['2018', 'DescribeSyncCheckJob', 'InvalidParameter'],
    ['2021', 'DescribeCheckSyncJobResult', 'InvalidParameterValue.InvalidParameterValueError'],
  ])('a malformed JobId answers the %s code', async (_v, action, code) => {
    expect((await call(emu.url, { action, body: JSON.stringify({ JobId: 'sync-x; rm -rf /' }) })).code).toBe(code);
    expect((await call(emu.url, { action, body: JSON.stringify({ JobId: 42 }) })).code).toBe(code);
  });

  test.each(['DescribeSyncCheckJob', 'DescribeCheckSyncJobResult'])('%s without JobId answers MissingParameter, an empty body too', async (action) => {
    expect((await call(emu.url, { action, body: '{}' })).code).toBe('MissingParameter');
    expect((await call(emu.url, { action, body: '' })).code).toBe('MissingParameter');
  });

  test('an unknown parameter answers UnknownParameter', async () => {
    expect((await call(emu.url, { body: JSON.stringify({ JobId: 'sync-blj8wnt1', Limit: 1 }) })).code).toBe('UnknownParameter');
  });

  test('a body that is not JSON, or not an object, answers InvalidParameter', async () => {
    expect((await call(emu.url, { body: 'JobId=sync-blj8wnt1' })).code).toBe('InvalidParameter');
    expect((await call(emu.url, { body: '["sync-blj8wnt1"]' })).code).toBe('InvalidParameter');
  });
});

describe('regions', () => {
  test.each(['us_east', 'AP-GUANGZHOU', 'ap', 'ap-guangzhou-', 'x'.repeat(41)])('a malformed region (%s) answers UnsupportedRegion', async (region) => {
    expect((await call(emu.url, { region })).code).toBe('UnsupportedRegion');
  });

  test('any well-formed region is served: a job in a region opened since 2018 answers there, and only there', async () => {
    const tokyo = { action: 'DescribeCheckSyncJobResult', jobId: 'sync-tokyo001' };
    expect((await call(regional.url, { ...tokyo, region: 'ap-tokyo' })).response.Status).toBe('success');
    expect((await call(regional.url, { ...tokyo, region: 'ap-guangzhou' })).code).toBe('UnsupportedRegion');
    expect((await call(regional.url, { ...tokyo, region: 'sa-saopaulo' })).code).toBe('UnsupportedRegion');
  });

  test('with strictFinanceHost every -fsi region needs its own host, not only the two of 2018', async () => {
    const beijingFsi = { action: 'DescribeCheckSyncJobResult', jobId: 'sync-bjfsi001', region: 'ap-beijing-fsi' };
    expect((await call(regional.url, { ...beijingFsi, headers: { host: 'dts.tencentcloudapi.com' } })).code).toBe('UnsupportedRegion');
    expect((await call(regional.url, { ...beijingFsi, headers: { host: 'dts.ap-beijing-fsi.tencentcloudapi.com' } })).response.Status).toBe('success');
    const otherHost = await call(regional.url, { ...beijingFsi, headers: { host: 'dts.ap-shanghai-fsi.tencentcloudapi.com' } });
    expect(otherHost.code).toBe('UnsupportedRegion');
  });

  test('a job asked in another region than its own answers UnsupportedRegion', async () => {
    const res = await call(emu.url, { region: 'ap-beijing', jobId: 'sync-blj8wnt1' });
    expect(res.code).toBe('UnsupportedRegion');
    expect(res.response.Error.Message).toMatch(/ap-guangzhou/);
  });

  test('a missing X-TC-Region answers MissingParameter', async () => {
    expect((await call(emu.url, { headers: { 'x-tc-region': undefined } })).code).toBe('MissingParameter');
  });

  test('without strictFinanceHost a finance job answers on any host', async () => {
    expect((await call(emu.url, { action: 'DescribeCheckSyncJobResult', region: 'ap-shanghai-fsi', jobId: 'sync-fsi00001' })).response.Status).toBe('success');
  });

  test('with strictFinanceHost a finance region needs its own host', async () => {
    const fsi = { action: 'DescribeCheckSyncJobResult', region: 'ap-shanghai-fsi', jobId: 'sync-fsi00001' };
    const wrongHost = await call(strict.url, { ...fsi, headers: { host: 'dts.tencentcloudapi.com' } });
    expect(wrongHost.code).toBe('UnsupportedRegion');
    expect(wrongHost.response.Error.Message).toMatch(/dts\.ap-shanghai-fsi\.tencentcloudapi\.com/);
    const rightHost = await call(strict.url, { ...fsi, headers: { host: 'dts.ap-shanghai-fsi.tencentcloudapi.com' } });
    expect(rightHost.response.Status).toBe('success');
    const otherFinanceHost = await call(strict.url, { region: 'ap-guangzhou', headers: { host: 'dts.ap-shenzhen-fsi.tencentcloudapi.com' } });
    expect(otherFinanceHost.code).toBe('UnsupportedRegion');
    expect((await call(strict.url, { region: 'ap-guangzhou', headers: { host: 'dts.tencentcloudapi.com' } })).code).toBeUndefined();
  });
});

describe('the rate limit', () => {
  test('answers RequestLimitExceeded past the limit per SecretId and action, and recovers after a second', async () => {
    const burst = await Promise.all(Array.from({ length: 8 }, () => call(limited.url)));
    const codes = burst.map((r) => r.code ?? 'Success');
    expect(codes.filter((c) => c === 'Success')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RequestLimitExceeded')).toHaveLength(3);
    // The other action has its own budget.
    expect((await call(limited.url, { action: 'DescribeCheckSyncJobResult', jobId: 'sync-pass2021' })).code).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1050));
    expect((await call(limited.url)).code).toBeUndefined();
  });
});

describe('bad requests', () => {
  test.each([
    ['PUT', '/'],
    ['PATCH', '/'],
    ['POST', '/v2/'],
    ['GET', '/v2/?JobId=sync-blj8wnt1'],
  ])('%s %s answers UnsupportedProtocol and the emulator keeps serving', async (method, path) => {
    const res = await call(emu.url, { method, path });
    expect(res.status).toBe(200);
    expect(res.code).toBe('UnsupportedProtocol');
    expect((await call(emu.url)).code).toBeUndefined();
  });

  test('a form body signed with TC3 is refused: form POSTs take signature v1', async () => {
    const res = await call(emu.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'JobId=sync-blj8wnt1', language: 'en-US' });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
    expect(res.response.Error.Message).toMatch(/must be signed with signature v1 \(HmacSHA1 or HmacSHA256/);
  });

  test.each(['multipart/form-data; boundary=x', 'text/plain', 'application/xml'])('a POST with Content-Type %s answers UnsupportedProtocol', async (contentType) => {
    const res = await call(emu.url, { headers: { 'content-type': contentType } });
    expect(res.code).toBe('UnsupportedProtocol');
  });

  test('an oversized body answers RequestSizeLimitExceeded and the emulator keeps serving', async () => {
    const huge = JSON.stringify({ JobId: 'sync-blj8wnt1', Pad: 'x'.repeat(100 * 1024) });
    const res = await call(emu.url, { body: huge });
    expect(res.code).toBe('RequestSizeLimitExceeded');
    expect((await call(emu.url)).code).toBeUndefined();
  });

  test('every answer is an envelope with a fresh RequestId, a Date header and JSON content type', async () => {
    const url = new URL(emu.url);
    const res = await send(url, 'POST', '/', { 'content-type': 'application/json' }, 'garbage');
    expect(res.headers['content-type']).toBe('application/json');
    expect(Math.abs(Date.parse(String(res.headers.date)) - Date.now())).toBeLessThan(5000);
    expect(res.response).toEqual({ Error: { Code: 'MissingParameter', Message: expect.any(String) }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
