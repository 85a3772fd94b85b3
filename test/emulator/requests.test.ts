/**
 * Requests as the real API takes them (POST JSON, POST form, GET), the proxy forms that let a
 * client keep the real host name, and answers in both languages.
 */
import { request } from 'node:http';
import { call, callV1, RawAnswer, sign } from './raw-client';
import { RunningEmulator, startEmulator } from '../../src/emulator';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emu?.close();
});

const last = () => emu.requests[emu.requests.length - 1];

describe('GET with TC3: the parameters in the query string, which the signature covers', () => {
  test('reads both families, the query signed as sent', async () => {
    const v2018 = await call(emu.url, { method: 'GET', jobId: 'sync-blj8wnt1' });
    expect(v2018.response).toMatchObject({ Status: 'finished', CheckFlag: 1 });
    expect(last()).toMatchObject({ httpMethod: 'GET', signatureMethod: 'TC3-HMAC-SHA256', jobId: 'sync-blj8wnt1', outcome: 'Success' });
    const v2021 = await call(emu.url, { method: 'GET', action: 'DescribeCheckSyncJobResult', query: 'JobId=sync-fail0001&DateTimeISOFormat=true' });
    expect(v2021.response.StepInfos[6].FinishTime).toMatch(/\+08:00$/);
  });

  test('refuses a query changed after signing', async () => {
    const { authorization, timestamp } = sign({ host: new URL(emu.url).host, contentType: 'application/x-www-form-urlencoded', action: 'DescribeSyncCheckJob', body: '', method: 'GET', query: 'JobId=sync-blj8wnt1' });
    const res = await call(emu.url, {
      method: 'GET',
      query: 'JobId=sync-fail0002',
      headers: { 'authorization': authorization, 'x-tc-timestamp': String(timestamp) },
    });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
  });

  test('needs Content-Type application/x-www-form-urlencoded, as the API documents for GET', async () => {
    expect((await call(emu.url, { method: 'GET', headers: { 'content-type': 'application/json' } })).code).toBe('UnsupportedProtocol');
  });

  test('a parameter given twice is InvalidParameter', async () => {
    expect((await call(emu.url, { method: 'GET', query: 'JobId=sync-blj8wnt1&JobId=sync-fail0002' })).code).toBe('InvalidParameter');
  });

  test('string booleans from a query are read as booleans; anything else is refused', async () => {
    const bad = await call(emu.url, { method: 'GET', action: 'DescribeCheckSyncJobResult', query: 'JobId=sync-pass2021&DateTimeISOFormat=1' });
    expect(bad.code).toBe('InvalidParameterValue.InvalidParameterValueError');
  });
});

describe('POST with a form body: signature v1', () => {
  test('reads both families, and creates too', async () => {
    expect((await callV1(emu.url, { jobId: 'sync-blj8wnt1' })).response.Status).toBe('finished');
    const v2021 = await callV1(emu.url, { action: 'DescribeCheckSyncJobResult', params: { JobId: 'sync-fail0001', DateTimeISOFormat: 'true' } });
    expect(v2021.response).toMatchObject({ Status: 'failed', StepCur: 7 });
    expect(last()).toMatchObject({ httpMethod: 'POST', signatureMethod: 'HmacSHA1', action: 'DescribeCheckSyncJobResult', version: '2021-12-06', region: 'ap-guangzhou', jobId: 'sync-fail0001' });
    const created = await callV1(emu.url, { action: 'CreateCheckSyncJob', jobId: 'sync-runs0001', signatureMethod: 'HmacSHA256' });
    expect(Object.keys(created.response)).toEqual(['RequestId']);
  });

  test('common parameters are not the action\'s parameters, and unknown ones are refused', async () => {
    expect((await callV1(emu.url, { params: { JobId: 'sync-blj8wnt1', Limit: '1' } })).code).toBe('UnknownParameter');
    expect((await callV1(emu.url, { params: {} })).code).toBe('MissingParameter');
  });
});

describe('the emulator as the HTTP proxy of a client that keeps the real host name', () => {
  const host = 'dts.tencentcloudapi.com';

  test('serves absolute-form request targets, as a plain HTTP proxy receives them', async () => {
    const res = await call(emu.url, { path: `http://${host}/`, headers: { host }, sign: { host } });
    expect(res.response).toMatchObject({ Status: 'finished', CheckFlag: 1 });
    const get = await call(emu.url, { method: 'GET', path: `http://${host}/?JobId=sync-blj8wnt1`, headers: { host }, sign: { host } });
    expect(get.response.Status).toBe('finished');
  });

  test('tunnels CONNECT to a Tencent Cloud API host on port 80 to itself', async () => {
    const answer = await overTunnel(`${host}:80`, host);
    expect(answer.connectStatus).toBe(200);
    expect(answer.response).toMatchObject({ Status: 'finished', CheckFlag: 1 });
  });

  test.each([
    ['example.com:80', 403, /not a general proxy/],
    [`${host}:443`, 501, /plain HTTP only: use protocol http:\/\//],
  ])('refuses CONNECT %s with %i, saying why', async (target, status, why) => {
    const answer = await overTunnel(target, host);
    expect(answer.connectStatus).toBe(status);
    expect(answer.connectBody).toMatch(why);
  });
});

/** CONNECT through the emulator, then (when allowed) one signed request over the tunnel. */
function overTunnel(target: string, host: string): Promise<{ connectStatus: number; connectBody: string; response?: any }> {
  const url = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'CONNECT', path: target, agent: false });
    req.on('error', reject);
    req.on('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        let body = head.toString('utf8');
        socket.on('data', (c: Buffer) => (body += c.toString('utf8')));
        socket.on('end', () => resolve({ connectStatus: res.statusCode ?? 0, connectBody: body }));
        socket.on('error', () => resolve({ connectStatus: res.statusCode ?? 0, connectBody: body }));
        return;
      }
      const body = JSON.stringify({ JobId: 'sync-blj8wnt1' });
      const contentType = 'application/json';
      const { authorization, timestamp } = sign({ host, contentType, action: 'DescribeSyncCheckJob', body });
      const tunnelled = request({
        createConnection: () => socket,
        host,
        method: 'POST',
        path: '/',
        headers: {
          'host': host,
          'content-type': contentType,
          'x-tc-action': 'DescribeSyncCheckJob',
          'x-tc-version': '2018-03-30',
          'x-tc-region': 'ap-guangzhou',
          'x-tc-timestamp': String(timestamp),
          'authorization': authorization,
          'connection': 'close',
        },
      }, (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => resolve({ connectStatus: 200, connectBody: '', response: JSON.parse(text).Response }));
      });
      tunnelled.on('error', reject);
      tunnelled.end(body);
    });
    req.end();
  });
}

describe('languages (X-TC-Language, or the Language parameter of a v1 request)', () => {
  /** Requests that fail at different checks, each sent in both languages. */
  const failures: Array<[string, (language?: string) => Promise<RawAnswer>]> = [
    ['MissingParameter (header)', (language) => call(emu.url, { language, headers: { 'x-tc-region': undefined } })],
    ['NoSuchVersion', (language) => call(emu.url, { language, version: '2019-01-01' })],
    ['InvalidAction', (language) => call(emu.url, { language, action: 'DescribeSyncJobs' })],
    ['AuthFailure.SecretIdNotFound', (language) => call(emu.url, { language, sign: { secretId: 'AKIDNOBODY' } })],
    ['AuthFailure.SignatureFailure', (language) => call(emu.url, { language, sign: { secretKey: 'wrong' } })],
    ['AuthFailure.SignatureExpire', (language) => call(emu.url, { language, sign: { timestamp: 1 } })],
    ['UnsupportedRegion', (language) => call(emu.url, { language, region: 'ap-beijing' })],
    ['UnknownParameter', (language) => call(emu.url, { language, body: JSON.stringify({ JobId: 'sync-blj8wnt1', X: 1 }) })],
    ['InvalidParameter', (language) => call(emu.url, { language, body: JSON.stringify({ JobId: 'bad' }) })],
    ['ResourceNotFound.JobNotExist', (language) => call(emu.url, { language, jobId: 'sync-nothere1' })],
    ['ResourceNotFound.ResourceNotFoundError', (language) => call(emu.url, { language, action: 'DescribeCheckSyncJobResult', jobId: 'sync-nothere1' })],
    ['UnsupportedProtocol', (language) => call(emu.url, { language, method: 'PUT' })],
    ['MissingParameter (v1)', (language) => callV1(emu.url, { language, params: {} })],
  ];

  test.each(failures)('%s is answered in Chinese by default and with zh-CN, in English with en-US', async (_what, ask) => {
    const [byDefault, zh, en] = [await ask(undefined), await ask('zh-CN'), await ask('en-US')];
    expect(zh.code).toBe(byDefault.code);
    expect(en.code).toBe(byDefault.code);
    expect(zh.response.Error.Message).toBe(byDefault.response.Error.Message);
    expect(zh.response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
    expect(en.response.Error.Message).toMatch(/^[\x20-\x7e]+$/);
  });

  test('step names and messages follow the language; configured messages stay as configured', async () => {
    const en2021 = await call(emu.url, { language: 'en-US', action: 'DescribeCheckSyncJobResult', jobId: 'sync-warn0001' });
    expect(en2021.response.StepInfos[0].StepName).toBe('Check parameters');
    expect(en2021.response.StepInfos[7].Warnings[0]).toMatchObject({ Message: 'The source instance does not use SSL for transfers', Solution: expect.stringMatching(/^You may ignore/) });
    const en2018 = await call(emu.url, { language: 'en-US', jobId: 'sync-fail0002' });
    expect(en2018.response).toMatchObject({ ErrorMessage: 'The disaster recovery check failed' });
    // The built-in job's message is configured ("源实例连接失败"): the same in both languages.
    expect(en2018.response.StepInfo[1]).toEqual({ StepNo: 2, StepName: 'Check the source instance', StepCode: 1, StepMessage: '源实例连接失败' });
    expect(en2018.response.StepInfo[0].StepMessage).toBe('Check passed');
  });

  test.each(['ja-JP', 'en', 'zh_CN', ''])('X-TC-Language %j answers InvalidParameterValue, naming the choices', async (language) => {
    const res = await call(emu.url, { language });
    expect(res.code).toBe('InvalidParameterValue');
    expect(res.response.Error.Message).toMatch(/X-TC-Language.*zh-CN.*en-US/);
  });

  test('a v1 Language parameter is checked the same way', async () => {
    expect((await callV1(emu.url, { language: 'fr-FR' })).code).toBe('InvalidParameterValue');
    expect((await callV1(emu.url, { language: 'en-US', jobId: 'sync-nothere1' })).response.Error.Message).toMatch(/^The job does not exist/);
  });

  test('faults answered as API errors speak the language too', async () => {
    const faulty = await startEmulator({ faults: [{ kind: 'serviceUnavailable' }] });
    try {
      expect((await call(faulty.url, { language: 'en-US' })).response.Error.Message).toMatch(/^The service is temporarily unavailable/);
      expect((await call(faulty.url)).response.Error.Message).toMatch(/暂时不可用/);
    } finally {
      await faulty.close();
    }
  });
});

