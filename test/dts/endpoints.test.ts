/**
 * One endpoint rule everywhere: the option, then DTS_SYNC_CHECK_ENDPOINT, then the region's
 * public host. `resolveEndpoint` is the rule; the client and lookupMany must follow it (the CLI
 * and the gate are checked in test/cli and test/lookup).
 */
import { lookupMany } from '../../src/dts/batch';
import { DtsClient } from '../../src/dts/client';
import { ENDPOINT_ENV, endpointOverride, forgetLearnedVersions, resolveEndpoint } from '../../src/dts/endpoints';
import { DtsInputError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { answer2018, FakeDts, TEST_SECRET_ID, TEST_SECRET_KEY } from '../support/fake-dts';

const CREDS = { secretId: TEST_SECRET_ID, secretKey: TEST_SECRET_KEY };

describe('resolveEndpoint, the rule', () => {
  test('without an option or the variable, the region\'s public host', () => {
    expect(resolveEndpoint('ap-guangzhou', undefined, { env: {} })).toEqual({ url: new URL('https://dts.tencentcloudapi.com'), host: 'dts.tencentcloudapi.com' });
    expect(resolveEndpoint('ap-beijing-fsi', undefined, { env: {} }).url.origin).toBe('https://dts.ap-beijing-fsi.tencentcloudapi.com');
  });

  test('the variable when no option is given; an empty variable counts as unset', () => {
    const env = { [ENDPOINT_ENV]: 'http://127.0.0.1:8080' };
    expect(resolveEndpoint('ap-guangzhou', undefined, { env })).toMatchObject({ host: '127.0.0.1:8080', override: 'http://127.0.0.1:8080' });
    expect(resolveEndpoint('ap-guangzhou', undefined, { env: { [ENDPOINT_ENV]: '' } }).host).toBe('dts.tencentcloudapi.com');
  });

  test('the option wins over the variable, and a bad variable is not even read then', () => {
    const env = { [ENDPOINT_ENV]: 'not a url' };
    expect(resolveEndpoint('ap-guangzhou', 'http://127.0.0.1:9000', { env }).host).toBe('127.0.0.1:9000');
    expect(endpointOverride('http://127.0.0.1:9000', { env })).toBe('http://127.0.0.1:9000');
  });

  test('a bad value is refused naming where it came from', () => {
    expect(() => resolveEndpoint('ap-guangzhou', 'http://example.com', { env: {}, optionName: '--endpoint' })).toThrow(/^--endpoint must use https/);
    expect(() => resolveEndpoint('ap-guangzhou', undefined, { env: { [ENDPOINT_ENV]: 'http://example.com' } })).toThrow(/^DTS_SYNC_CHECK_ENDPOINT must use https/);
    expect(() => endpointOverride(42)).toThrow(/^`endpoint` must be a string \(got "42"\)/);
  });

  test.each([
    ['a finance region on the shared host', 'ap-beijing-fsi', 'https://dts.tencentcloudapi.com'],
    ['a finance region on another finance region\'s host', 'ap-beijing-fsi', 'https://dts.ap-shanghai-fsi.tencentcloudapi.com'],
    ['a region on a finance host', 'ap-nanjing', 'https://dts.ap-shenzhen-fsi.tencentcloudapi.com'],
  ])('refuses %s, from the option or from the variable', (_what, region, endpoint) => {
    expect(() => resolveEndpoint(region, endpoint, { env: {} })).toThrow(new RegExp(`^\`endpoint\` "${endpoint.replace(/\./g, '\\.')}" does not serve region ${region}: use https://`));
    const fromEnv = () => resolveEndpoint(region, undefined, { env: { [ENDPOINT_ENV]: endpoint } });
    expect(fromEnv).toThrow(DtsInputError);
    expect(fromEnv).toThrow(new RegExp(`^DTS_SYNC_CHECK_ENDPOINT .* does not serve region ${region}`));
  });

  test('a finance region on its own host, and a regional host of an ordinary region, are accepted', () => {
    expect(resolveEndpoint('ap-beijing-fsi', 'https://dts.ap-beijing-fsi.tencentcloudapi.com', { env: {} }).host).toBe('dts.ap-beijing-fsi.tencentcloudapi.com');
    expect(resolveEndpoint('ap-nanjing', 'https://dts.ap-nanjing.tencentcloudapi.com', { env: {} }).host).toBe('dts.ap-nanjing.tencentcloudapi.com');
  });
});

describe('the client and lookupMany follow the rule', () => {
  let fake: FakeDts;
  let saved: string | undefined;

  beforeAll(async () => {
    fake = await FakeDts.start(() => answer2018(), { secretKey: TEST_SECRET_KEY });
  });

  afterAll(async () => {
    await closeConnections();
    await fake.close();
  });

  beforeEach(() => {
    saved = process.env[ENDPOINT_ENV];
    fake.requests.length = 0;
    forgetLearnedVersions();
  });

  afterEach(() => {
    if (saved === undefined) delete process.env[ENDPOINT_ENV];
    else process.env[ENDPOINT_ENV] = saved;
  });

  test('DtsClient without an endpoint option sends to DTS_SYNC_CHECK_ENDPOINT', async () => {
    process.env[ENDPOINT_ENV] = fake.endpoint;
    const report = await new DtsClient({ region: 'ap-nanjing', credentials: CREDS }).describeSyncCheck('sync-blj8wnt1');
    expect(report.passed).toBe(true);
    expect(fake.requests.map((r) => r.headers['x-tc-region'])).toEqual(['ap-nanjing']);
  });

  test('lookupMany without an endpoint sends to DTS_SYNC_CHECK_ENDPOINT', async () => {
    process.env[ENDPOINT_ENV] = fake.endpoint;
    const [outcome] = await lookupMany([{ jobId: 'sync-blj8wnt1', region: 'sa-saopaulo' }], { credentials: CREDS });
    expect(outcome.report?.passed).toBe(true);
    expect(fake.requests.map((r) => r.headers['x-tc-region'])).toEqual(['sa-saopaulo']);
  });

  test('a bad DTS_SYNC_CHECK_ENDPOINT is refused at construction, naming the variable, and nothing is sent', () => {
    process.env[ENDPOINT_ENV] = 'https://dts.tencentcloudapi.com';
    expect(() => new DtsClient({ region: 'ap-beijing-fsi', credentials: CREDS })).toThrow(/^DTS_SYNC_CHECK_ENDPOINT .* does not serve region ap-beijing-fsi/);
    expect(fake.requests).toHaveLength(0);
  });
});
