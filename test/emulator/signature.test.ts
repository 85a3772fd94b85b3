import { call, callV1, KEY, KEY_ID, sign, V1Call } from './raw-client';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { parseTc3Authorization, tc3Signature, verifyTc3Signature } from '../../src/emulator/tc3-verify';
import { v1Source, verifyV1Signature } from '../../src/emulator/v1-verify';

let emu: RunningEmulator;
let tokenEmu: RunningEmulator;
let skewedEmu: RunningEmulator;

beforeAll(async () => {
  [emu, tokenEmu, skewedEmu] = await Promise.all([
    startEmulator({ rateLimitPerSecond: 0 }),
    startEmulator({
      rateLimitPerSecond: 0,
      credentials: [
        { secretId: 'AKIDTEMP', secretKey: 'TEMPKEY', sessionToken: 'token-123' },
        { secretId: KEY_ID, secretKey: KEY },
      ],
    }),
    startEmulator({ rateLimitPerSecond: 0, clockSkewSeconds: 900 }),
  ]);
});

afterAll(async () => {
  await Promise.all([emu.close(), tokenEmu.close(), skewedEmu.close()]);
});

describe('the verifier against the documented TC3 vectors', () => {
  const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
  const vector = {
    method: 'POST',
    path: '/',
    query: '',
    headers: { 'content-type': 'application/json; charset=utf-8', 'host': 'cvm.tencentcloudapi.com', 'x-tc-action': 'DescribeInstances' },
    body: Buffer.from(body, 'utf8'),
  };
  test.each([
    ['content-type;host', '2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c'],
    ['content-type;host;x-tc-action', 'be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3'],
  ])('accepts the documented signature over %s', (signedHeaders, signature) => {
    const auth = parseTc3Authorization(
      `TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    )!;
    expect(auth.service).toBe('cvm');
    expect(verifyTc3Signature(vector, auth, 'Gu5t9xGARNpq86cd98joQYCN3*******', '1551113065')).toBe(true);
    expect(verifyTc3Signature(vector, auth, 'Gu5t9xGARNpq86cd98joQYCN3******x', '1551113065')).toBe(false);
  });

  test('the test signer agrees with the documented vector, so raw tests sign correctly', () => {
    const { authorization } = sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      timestamp: 1551113065,
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      action: 'DescribeInstances',
      body,
      signAction: true,
    });
    expect(authorization).toMatch(/Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3$/);
    expect(tc3Signature('k', '1', '2019-02-25', 'dts', 'x')).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    '',
    'TC3-HMAC-SHA1 Credential=a/2019-02-25/dts/tc3_request, SignedHeaders=host, Signature=' + 'a'.repeat(64),
    'TC3-HMAC-SHA256 Credential=a/2019-02-25/dts, SignedHeaders=host, Signature=' + 'a'.repeat(64),
    'TC3-HMAC-SHA256 Credential=a/2019-02-25/dts/tc3_request, SignedHeaders=host, Signature=short',
    'TC3-HMAC-SHA256 Credential=a/20190225/dts/tc3_request, SignedHeaders=host, Signature=' + 'a'.repeat(64),
  ])('refuses to parse the malformed authorization %j', (value) => {
    expect(parseTc3Authorization(value)).toBeUndefined();
  });
});

describe('signature checks over HTTP', () => {
  test.each([false, true])('accepts a correct signature (x-tc-action signed: %s)', async (signAction) => {
    const res = await call(emu.url, { sign: { signAction } });
    expect(res.status).toBe(200);
    expect(res.code).toBeUndefined();
    expect(res.response.Status).toBe('finished');
  });

  test('accepts the port-less host the official SDK signs', async () => {
    const res = await call(emu.url, { sign: { host: '127.0.0.1' } });
    expect(res.code).toBeUndefined();
  });

  test.each(['127', 'cvm', 'sts'])('refuses a credential scope for service %s: DTS actions are signed for "dts"', async (service) => {
    const res = await call(emu.url, { sign: { service }, language: 'en-US' });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
    expect(res.response.Error.Message).toContain(`names service "${service}"; DTS actions are signed for service "dts"`);
    expect(emu.requests[emu.requests.length - 1]).toMatchObject({ outcome: 'AuthFailure.SignatureFailure', signatureMethod: 'TC3-HMAC-SHA256' });
  });

  test('refuses a tampered body', async () => {
    const res = await call(emu.url, { jobId: 'sync-blj8wnt1', sendBody: JSON.stringify({ JobId: 'sync-fail0001' }) });
    expect(res.status).toBe(200);
    expect(res.code).toBe('AuthFailure.SignatureFailure');
    expect(res.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('refuses a tampered signed header (content-type)', async () => {
    const res = await call(emu.url, { sign: { contentType: 'application/json' } });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
  });

  test('refuses a request whose Host differs from the signed host', async () => {
    const res = await call(emu.url, { sign: { host: 'dts.tencentcloudapi.com' } });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
  });

  test('refuses a signed x-tc-action that was changed in transit', async () => {
    const res = await call(emu.url, { sign: { signAction: true, action: 'DescribeCheckSyncJobResult' } });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
  });

  test('refuses a wrong SecretKey', async () => {
    expect((await call(emu.url, { sign: { secretKey: 'nope' } })).code).toBe('AuthFailure.SignatureFailure');
  });

  test.each([-301, 301, -3600])('refuses a timestamp %i s off as expired', async (offset) => {
    const res = await call(emu.url, { sign: { timestamp: Math.floor(Date.now() / 1000) + offset } });
    expect(res.code).toBe('AuthFailure.SignatureExpire');
  });

  test('accepts a timestamp 250 s off (inside the five-minute window)', async () => {
    expect((await call(emu.url, { sign: { timestamp: Math.floor(Date.now() / 1000) - 250 } })).code).toBeUndefined();
  });

  test('refuses a credential scope date that is not the UTC date of the timestamp', async () => {
    const res = await call(emu.url, { sign: { scopeDate: '2019-02-25' }, language: 'en-US' });
    expect(res.code).toBe('AuthFailure.SignatureFailure');
    expect(res.response.Error.Message).toMatch(/scope date 2019-02-25/);
  });

  test('refuses an unknown SecretId', async () => {
    expect((await call(emu.url, { sign: { secretId: 'AKIDUNKNOWN' } })).code).toBe('AuthFailure.SecretIdNotFound');
  });

  test.each([
    ['missing', undefined],
    ['malformed', 'Bearer abc'],
  ])('refuses a %s Authorization header', async (_what, value) => {
    expect((await call(emu.url, { headers: { authorization: value } })).code).toBe('AuthFailure.InvalidAuthorization');
  });

  test('refuses a missing or non-numeric X-TC-Timestamp', async () => {
    expect((await call(emu.url, { headers: { 'x-tc-timestamp': undefined } })).code).toBe('MissingParameter');
    expect((await call(emu.url, { headers: { 'x-tc-timestamp': 'yesterday' } })).code).toBe('InvalidParameter');
  });
});

describe('signature v1 (HmacSHA1 / HmacSHA256), for form POSTs and GETs', () => {
  test('the verifier accepts the documented v1 example (HmacSHA1) and nothing else', () => {
    // Tencent Cloud API docs, "signature v1": GET cvm.tencentcloudapi.com/?Action=DescribeInstances&...
    const parameters: Array<[string, string]> = [
      ['Action', 'DescribeInstances'], ['InstanceIds.0', 'ins-09dx96dg'], ['Limit', '20'], ['Nonce', '11886'], ['Offset', '0'],
      ['Region', 'ap-guangzhou'], ['SecretId', 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE'], ['Timestamp', '1465185768'], ['Version', '2017-03-12'],
      ['Signature', 'ignored'],
    ];
    const req = { method: 'GET', host: 'cvm.tencentcloudapi.com', path: '/', parameters };
    expect(v1Source(req, req.host)).toBe(
      'GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou'
      + '&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12',
    );
    expect(verifyV1Signature(req, 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'HmacSHA1', 'EliP9YW3pW28FpsEdkXt/+WcGeI=')).toBe(true);
    expect(verifyV1Signature(req, 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLx', 'HmacSHA1', 'EliP9YW3pW28FpsEdkXt/+WcGeI=')).toBe(false);
    expect(verifyV1Signature({ ...req, method: 'POST' }, 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'HmacSHA1', 'EliP9YW3pW28FpsEdkXt/+WcGeI=')).toBe(false);
  });

  test.each([
    ['POST', 'HmacSHA1'],
    ['POST', 'HmacSHA256'],
    ['POST', undefined],
    ['GET', 'HmacSHA1'],
    ['GET', 'HmacSHA256'],
  ] as const)('accepts a correct %s signed with %s (HmacSHA1 when the parameter is left out)', async (method, signatureMethod) => {
    const res = await callV1(emu.url, { method, signatureMethod });
    expect(res.code).toBeUndefined();
    expect(res.response.Status).toBe('finished');
    expect(emu.requests[emu.requests.length - 1]).toMatchObject({ httpMethod: method, signatureMethod: signatureMethod ?? 'HmacSHA1', secretId: KEY_ID, signedHeaders: undefined });
  });

  test('accepts the host signed with or without its port, and refuses another host', async () => {
    expect((await callV1(emu.url, { signHost: new URL(emu.url).hostname })).code).toBeUndefined();
    expect((await callV1(emu.url, { signHost: 'dts.tencentcloudapi.com' })).code).toBe('AuthFailure.SignatureFailure');
  });

  const drop = (name: string) => (p: Record<string, string>): void => {
    delete p[name];
  };
  const refusals: Array<[string, V1Call, string]> = [
    ['a wrong SecretKey', { secretKey: 'nope' }, 'AuthFailure.SignatureFailure'],
    ['a parameter changed after signing', { tamper: (p) => { p.JobId = 'sync-fail0002'; } }, 'AuthFailure.SignatureFailure'],
    ['an unknown SecretId', { secretId: 'AKIDUNKNOWN' }, 'AuthFailure.SecretIdNotFound'],
    ['a SignatureMethod other than HmacSHA1/HmacSHA256', { signatureMethod: 'HmacMD5' }, 'AuthFailure.SignatureFailure'],
    ['a timestamp 301 s old', { timestamp: Math.floor(Date.now() / 1000) - 301 }, 'AuthFailure.SignatureExpire'],
    ['no Nonce', { tamper: drop('Nonce') }, 'MissingParameter'],
    ['no Signature', { tamper: drop('Signature') }, 'MissingParameter'],
    ['no Action', { tamper: drop('Action') }, 'MissingParameter'],
  ];
  test.each(refusals)('refuses %s', async (_what, c, code) => {
    const res = await callV1(emu.url, { method: 'POST', ...c });
    expect(res.code).toBe(code);
  });

  test('names the missing common parameter as a v1 parameter', async () => {
    const res = await callV1(emu.url, { language: 'en-US', tamper: drop('SecretId') });
    expect(res.response.Error.Message).toBe('The request is missing the required common parameter `SecretId`.');
  });

  test('temporary credentials send their token as the Token parameter', async () => {
    const temp = { secretId: 'AKIDTEMP', secretKey: 'TEMPKEY' };
    expect((await callV1(tokenEmu.url, { ...temp, token: 'token-123' })).code).toBeUndefined();
    expect((await callV1(tokenEmu.url, temp)).code).toBe('AuthFailure.TokenFailure');
    expect((await callV1(tokenEmu.url, { ...temp, token: 'token-999' })).code).toBe('AuthFailure.TokenFailure');
    expect(JSON.stringify(tokenEmu.requests)).not.toMatch(/TEMPKEY|token-123/);
  });
});

describe('session tokens', () => {
  const temp = { secretId: 'AKIDTEMP', secretKey: 'TEMPKEY' };
  test('temporary credentials with the right X-TC-Token pass', async () => {
    expect((await call(tokenEmu.url, { sign: temp, headers: { 'x-tc-token': 'token-123' } })).code).toBeUndefined();
  });
  test.each([
    ['missing', undefined],
    ['wrong', 'token-999'],
  ])('temporary credentials with a %s token are refused', async (_what, token) => {
    expect((await call(tokenEmu.url, { sign: temp, headers: { 'x-tc-token': token } })).code).toBe('AuthFailure.TokenFailure');
  });
  test('permanent credentials sent with a token are refused', async () => {
    expect((await call(tokenEmu.url, { headers: { 'x-tc-token': 'token-123' } })).code).toBe('AuthFailure.TokenFailure');
  });
});

describe('a skewed server clock', () => {
  test('tells its time in the Date header and judges timestamps by it', async () => {
    const first = await call(skewedEmu.url);
    expect(first.code).toBe('AuthFailure.SignatureExpire');
    const serverNow = Date.parse(String(first.headers.date));
    expect(serverNow - Date.now()).toBeGreaterThan(890_000);
    expect(serverNow - Date.now()).toBeLessThan(910_000);
    const second = await call(skewedEmu.url, { sign: { timestamp: Math.floor(serverNow / 1000) } });
    expect(second.code).toBeUndefined();
  });
});

describe('the request log', () => {
  test('records the SecretId and signed headers but never a key or token', async () => {
    await call(tokenEmu.url, { sign: { secretId: 'AKIDTEMP', secretKey: 'TEMPKEY', signAction: true }, headers: { 'x-tc-token': 'token-123' } });
    const last = tokenEmu.requests[tokenEmu.requests.length - 1];
    expect(last).toMatchObject({ secretId: 'AKIDTEMP', signedHeaders: 'content-type;host;x-tc-action', outcome: 'Success', httpStatus: 200 });
    const logged = JSON.stringify(tokenEmu.requests);
    expect(logged).not.toMatch(/TEMPKEY|token-123|SECRETEXAMPLE/);
  });
});
