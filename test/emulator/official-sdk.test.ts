/**
 * Conformance: the official Node SDK's CommonClient, an independent TC3 implementation,
 * talks to the emulator as it would to the service.
 */
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { RunningEmulator, startEmulator } from '../../src/emulator';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emu.close();
});

function sdk(version: string, secretKey = 'SECRETEXAMPLE', region = 'ap-guangzhou'): CommonClient {
  return new CommonClient('dts.tencentcloudapi.com', version, {
    credential: { secretId: 'AKIDEXAMPLE', secretKey },
    region,
    profile: { httpProfile: { endpoint: `127.0.0.1:${emu.port}`, protocol: 'http://', reqTimeout: 5 } },
  });
}

async function sdkError(promise: Promise<unknown>): Promise<{ code?: string; requestId?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code?: string; requestId?: string };
  }
  throw new Error('expected the SDK call to fail');
}

describe('the official tencentcloud-sdk-nodejs-common client', () => {
  test('reads the passing sample job with DescribeSyncCheckJob (2018-03-30)', async () => {
    const res = await sdk('2018-03-30').request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' });
    expect(res).toMatchObject({ Status: 'finished', CheckFlag: 1, ErrorCode: 0, ErrorMessage: '灾备检查成功' });
    expect(res.StepInfo).toHaveLength(10);
  });

  test('reads the failing job with DescribeCheckSyncJobResult (2021-12-06)', async () => {
    const res = await sdk('2021-12-06').request('DescribeCheckSyncJobResult', { JobId: 'sync-fail0001' });
    expect(res).toMatchObject({ Status: 'failed', StepCount: 10, StepCur: 7 });
    expect(res.StepInfos[6]).toMatchObject({ StepName: '检查目标实例是否为空', Status: 'failed', Errors: [{ Message: '目标实例不为空' }] });
  });

  test('signs service "127" and the port-less host, which the emulator accepts from the scope', async () => {
    await sdk('2021-12-06').request('DescribeCheckSyncJobResult', { JobId: 'sync-pass2021' });
    expect(emu.requests[emu.requests.length - 1]).toMatchObject({ outcome: 'Success', signedHeaders: 'content-type;host' });
  });

  test('gets AuthFailure.SignatureFailure with a wrong key', async () => {
    const e = await sdkError(sdk('2018-03-30', 'WRONGKEY').request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }));
    expect(e.code).toBe('AuthFailure.SignatureFailure');
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('gets ResourceNotFound.JobNotExist (2018) and ResourceNotFound.ResourceNotFoundError (2021) for an unknown job', async () => {
    expect((await sdkError(sdk('2018-03-30').request('DescribeSyncCheckJob', { JobId: 'sync-nothere1' }))).code).toBe('ResourceNotFound.JobNotExist');
    expect((await sdkError(sdk('2021-12-06').request('DescribeCheckSyncJobResult', { JobId: 'sync-nothere1' }))).code).toBe(
      'ResourceNotFound.ResourceNotFoundError',
    );
  });

  test('gets MissingParameter without a JobId and UnsupportedRegion outside the region table', async () => {
    expect((await sdkError(sdk('2018-03-30').request('DescribeSyncCheckJob', {}))).code).toBe('MissingParameter');
    expect((await sdkError(sdk('2018-03-30', 'SECRETEXAMPLE', 'us-east-1').request('DescribeSyncCheckJob', { JobId: 'sync-blj8wnt1' }))).code).toBe(
      'UnsupportedRegion',
    );
  });
});
