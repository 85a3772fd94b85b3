/**
 * Conformance: the official Node SDK's CommonClient, an independent implementation of both
 * signatures, talks to the emulator as it would to the service, in every way it can send a
 * request: POST JSON (TC3), POST form (signature v1), GET (TC3 or v1), in both languages.
 *
 * The SDK takes the credential scope's service from its endpoint's first label, so it is given
 * the real host name (`dts.tencentcloudapi.com`, plain http) and the emulator as its HTTP proxy
 * (`httpProfile.proxy`): it signs service `dts` and its connection reaches the emulator through a
 * CONNECT tunnel. Pointed at 127.0.0.1 itself, it signs `127`, which the service refuses.
 */
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { RunningEmulator, startEmulator } from '../../src/emulator';

let emu: RunningEmulator;
let strict: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ rateLimitPerSecond: 0 });
  strict = await startEmulator({ rateLimitPerSecond: 0, strictFinanceHost: true });
});

afterAll(async () => {
  await Promise.all([emu?.close(), strict?.close()]);
});

interface SdkOptions {
  readonly secretKey?: string;
  readonly region?: string;
  readonly signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA1' | 'HmacSHA256';
  readonly reqMethod?: 'POST' | 'GET';
  readonly language?: 'zh-CN' | 'en-US';
  readonly host?: string;
  readonly via?: RunningEmulator;
}

/** The official client, given the real host name and the emulator as its proxy. */
function sdk(version: string, o: SdkOptions = {}): CommonClient {
  return new CommonClient('dts.tencentcloudapi.com', version, {
    credential: { secretId: 'AKIDEXAMPLE', secretKey: o.secretKey ?? 'SECRETEXAMPLE' },
    region: o.region ?? 'ap-guangzhou',
    profile: {
      signMethod: o.signMethod ?? 'TC3-HMAC-SHA256',
      language: o.language,
      httpProfile: { endpoint: o.host ?? 'dts.tencentcloudapi.com', protocol: 'http://', proxy: (o.via ?? emu).url, reqMethod: o.reqMethod ?? 'POST', reqTimeout: 10 },
    },
  });
}

async function sdkError(promise: Promise<unknown>): Promise<{ code?: string; requestId?: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code?: string; requestId?: string; message: string };
  }
  throw new Error('expected the SDK call to fail');
}

const last = () => emu.requests[emu.requests.length - 1];

describe('every way the official client sends a request', () => {
  test.each([
    ['POST application/json, TC3-HMAC-SHA256', 'POST', 'TC3-HMAC-SHA256', 'content-type;host'],
    ['POST application/x-www-form-urlencoded, HmacSHA256', 'POST', 'HmacSHA256', undefined],
    ['POST application/x-www-form-urlencoded, HmacSHA1', 'POST', 'HmacSHA1', undefined],
    ['GET, TC3-HMAC-SHA256 over the query string', 'GET', 'TC3-HMAC-SHA256', 'content-type;host'],
    ['GET, HmacSHA1 in the query string', 'GET', 'HmacSHA1', undefined],
  ] as const)('%s reads both families', async (_what, reqMethod, signMethod, signedHeaders) => {
    const v2018 = await sdk('2018-03-30', { reqMethod, signMethod }).request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' });
    expect(v2018).toMatchObject({ Status: 'finished', CheckFlag: 1, ErrorCode: 0, ErrorMessage: '灾备检查成功' });
    expect(v2018.StepInfo).toHaveLength(10);
    expect(last()).toMatchObject({ httpMethod: reqMethod, signatureMethod: signMethod, signedHeaders, outcome: 'Success', action: 'DescribeSyncCheckJob' });

    const v2021 = await sdk('2021-12-06', { reqMethod, signMethod }).request('DescribeCheckSyncJobResult', { JobId: 'sync-fail0001', DateTimeISOFormat: true });
    expect(v2021).toMatchObject({ Status: 'failed', StepCount: 10, StepCur: 7 });
    expect(v2021.StepInfos[6]).toMatchObject({ StepName: '检查目标实例是否为空', Status: 'failed', Errors: [{ Message: '目标实例不为空' }] });
    expect(v2021.StepInfos[6].FinishTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(last()).toMatchObject({ httpMethod: reqMethod, signatureMethod: signMethod, jobId: 'sync-fail0001', region: 'ap-guangzhou' });
  });

  test.each(['POST', 'GET'] as const)('a wrong key is AuthFailure.SignatureFailure with a request id (%s, both signatures)', async (reqMethod) => {
    for (const signMethod of ['TC3-HMAC-SHA256', 'HmacSHA256'] as const) {
      const e = await sdkError(sdk('2018-03-30', { secretKey: 'WRONGKEY', reqMethod, signMethod }).request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }));
      expect(e.code).toBe('AuthFailure.SignatureFailure');
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('the credential scope', () => {
  test('pointed at 127.0.0.1 the client signs service "127", which is refused, saying why', async () => {
    const direct = new CommonClient('dts.tencentcloudapi.com', '2018-03-30', {
      credential: { secretId: 'AKIDEXAMPLE', secretKey: 'SECRETEXAMPLE' },
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: `127.0.0.1:${emu.port}`, protocol: 'http://', reqTimeout: 10 } },
    });
    const e = await sdkError(direct.request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }));
    expect(e.code).toBe('AuthFailure.SignatureFailure');
    expect(e.message).toMatch(/"127".*"dts"/);
  });
});

describe('languages', () => {
  test('en-US: errors and step texts in English; zh-CN (the default): in Chinese', async () => {
    const en = await sdkError(sdk('2021-12-06', { language: 'en-US' }).request('DescribeCheckSyncJobResult', { JobId: 'sync-nothere1' }));
    expect(en).toMatchObject({ code: 'ResourceNotFound.ResourceNotFoundError', message: expect.stringMatching(/^The resource does not exist/) });
    const zh = await sdkError(sdk('2021-12-06', { language: 'zh-CN' }).request('DescribeCheckSyncJobResult', { JobId: 'sync-nothere1' }));
    expect(zh.message).toMatch(/资源未找到/);

    const report = await sdk('2021-12-06', { language: 'en-US', signMethod: 'HmacSHA1' }).request('DescribeCheckSyncJobResult', { JobId: 'sync-fail0001' });
    expect(report.StepInfos[6]).toMatchObject({ StepName: 'Check that the target instance is empty', Errors: [{ Message: '目标实例不为空', Solution: expect.stringMatching(/^Empty the databases/) }] });
    expect(last()).toMatchObject({ language: 'en-US', signatureMethod: 'HmacSHA1' });
    const sample = await sdk('2018-03-30', { language: 'en-US' }).request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' });
    expect(sample).toMatchObject({ ErrorMessage: 'The disaster recovery check passed', StepInfo: expect.arrayContaining([{ StepNo: 1, StepName: 'Check parameters', StepCode: 0, StepMessage: 'Check passed' }]) });
  });
});

describe('fresh checks', () => {
  test('CreateCheckSyncJob answers only its RequestId, and the check starts over', async () => {
    const created = await sdk('2021-12-06').request('CreateCheckSyncJob', { JobId: 'sync-slow0001' });
    expect(Object.keys(created)).toEqual(['RequestId']);
    const report = await sdk('2021-12-06').request('DescribeCheckSyncJobResult', { JobId: 'sync-slow0001' });
    expect(report.Status).toBe('running');
  });

  test('CreateSyncCheckJob is for 2018 jobs: a 2021 job is unknown to it', async () => {
    expect(Object.keys(await sdk('2018-03-30', { signMethod: 'HmacSHA256' }).request('CreateSyncCheckJob', { JobId: 'sync-blj8wnt1' }))).toEqual(['RequestId']);
    expect((await sdkError(sdk('2018-03-30').request('CreateSyncCheckJob', { JobId: 'sync-pass2021' }))).code).toBe('ResourceNotFound.JobNotExist');
  });
});

describe('errors the client sees', () => {
  test('ResourceNotFound.JobNotExist (2018) and ResourceNotFound.ResourceNotFoundError (2021) for an unknown job', async () => {
    expect((await sdkError(sdk('2018-03-30').request('DescribeSyncCheckJob', { JobId: 'sync-nothere1' }))).code).toBe('ResourceNotFound.JobNotExist');
    expect((await sdkError(sdk('2021-12-06').request('DescribeCheckSyncJobResult', { JobId: 'sync-nothere1' }))).code).toBe(
      'ResourceNotFound.ResourceNotFoundError',
    );
  });

  test('MissingParameter without a JobId; UnsupportedRegion for a malformed region or another region than the job\'s', async () => {
    expect((await sdkError(sdk('2018-03-30').request('DescribeSyncCheckJob', {}))).code).toBe('MissingParameter');
    expect((await sdkError(sdk('2018-03-30', { region: 'us_east' }).request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }))).code).toBe('UnsupportedRegion');
    expect((await sdkError(sdk('2018-03-30', { region: 'ap-tokyo' }).request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }))).code).toBe('UnsupportedRegion');
  });

  test('with strictFinanceHost, a finance region must be called on its own host', async () => {
    const fsi = { region: 'ap-shanghai-fsi', via: strict };
    const right = await sdk('2021-12-06', { ...fsi, host: 'dts.ap-shanghai-fsi.tencentcloudapi.com' }).request('DescribeCheckSyncJobResult', { JobId: 'sync-fsi00001' });
    expect(right.Status).toBe('success');
    const wrong = await sdkError(sdk('2021-12-06', fsi).request('DescribeCheckSyncJobResult', { JobId: 'sync-fsi00001' }));
    expect(wrong).toMatchObject({ code: 'UnsupportedRegion', message: expect.stringContaining('dts.ap-shanghai-fsi.tencentcloudapi.com') });
  });
});
