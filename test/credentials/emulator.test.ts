/**
 * The emulator's credential services through raw HTTP, signed by the tests' own hand-rolled
 * signer (test/emulator/raw-client.ts, which shares no code with the client or the emulator):
 * STS AssumeRole, the metadata service's instance role, the temporary keys the DTS side accepts
 * until they expire, and the configuration's validation.
 */
import { EmulatorConfigError, RunningEmulator, startEmulator } from '../../src/emulator';
import { resolveConfig } from '../../src/emulator/config';
import { call, send } from '../emulator/raw-client';

const BASE = { secretId: 'AKIDEMUBASE00001', secretKey: 'emu-base-key' };
const STS = { secretId: 'AKIDEMUSTS000001', secretKey: 'emu-sts-key', sessionToken: 'emu-sts-token' };
const INST = { secretId: 'AKIDEMUINST00001', secretKey: 'emu-inst-key', sessionToken: 'emu-inst-token' };
const ROLE = 'qcs::cam::uin/100000000001:roleName/dts-checker';
const JOB = 'sync-emucred1';
const STS_CALL = { action: 'AssumeRole', version: '2018-08-13' };

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [BASE],
    jobs: [{ jobId: JOB, region: 'ap-guangzhou', family: '2018' }],
    rateLimitPerSecond: 0,
    sts: { roles: [{ roleArn: ROLE, allowedSecretIds: [BASE.secretId, INST.secretId] }], issued: STS, grantSeconds: 3600 },
    // Short enough to see a key expire, long enough (at least 3 s) to use it first on a busy machine.
    instanceRole: { roleName: 'dts-runner', issued: INST, grantSeconds: 4 },
  });
});

afterAll(async () => {
  await emulator.close();
});

/** AssumeRole signed with service `sts` by the raw signer. */
type Key = { secretId: string; secretKey: string; sessionToken?: string };
function assumeRole(params: Record<string, unknown>, key: Key = BASE, extra: Parameters<typeof call>[1] = {}) {
  return call(emulator.url, {
    ...STS_CALL,
    body: JSON.stringify(params),
    ...extra,
    sign: { service: 'sts', secretId: key.secretId, secretKey: key.secretKey, ...extra.sign },
    headers: { ...(key.sessionToken ? { 'x-tc-token': key.sessionToken } : {}), ...extra.headers },
  });
}

const get = (path: string, method = 'GET') => send(new URL(emulator.url), method, path, { host: new URL(emulator.url).host }, '');

describe('STS AssumeRole', () => {
  test('answers the configured key pair with an expiry, and the DTS side accepts it with its token', async () => {
    const r = await assumeRole({ RoleArn: ROLE, RoleSessionName: 'ci-run', DurationSeconds: 900 });
    expect(r.status).toBe(200);
    const { Credentials, ExpiredTime, Expiration, RequestId } = r.response;
    expect(Object.keys(Credentials).sort()).toEqual(['TmpSecretId', 'TmpSecretKey', 'Token']);
    expect(Credentials.TmpSecretId.startsWith(STS.secretId)).toBe(true);
    expect(Number.isInteger(ExpiredTime)).toBe(true);
    expect(Math.abs(ExpiredTime - Date.now() / 1000 - 900)).toBeLessThanOrEqual(5);
    expect(Expiration).toBe(new Date(ExpiredTime * 1000).toISOString().replace('.000Z', 'Z'));
    expect(typeof RequestId).toBe('string');

    const temp = { secretId: Credentials.TmpSecretId, secretKey: Credentials.TmpSecretKey };
    const withToken = await call(emulator.url, { jobId: JOB, sign: temp, headers: { 'x-tc-token': Credentials.Token } });
    expect(withToken.response.Status).toBe('finished');
    expect((await call(emulator.url, { jobId: JOB, sign: temp })).code).toBe('AuthFailure.TokenFailure');
    expect((await call(emulator.url, { jobId: JOB, sign: temp, headers: { 'x-tc-token': `${Credentials.Token}x` } })).code).toBe('AuthFailure.TokenFailure');
  });

  test('each issue is a new key: the n-th appends .n to the id, the key and the token', async () => {
    const a = (await assumeRole({ RoleArn: ROLE, RoleSessionName: 'ci-run' })).response.Credentials;
    const b = (await assumeRole({ RoleArn: ROLE, RoleSessionName: 'ci-run' })).response.Credentials;
    const n = Number(a.TmpSecretId.slice(STS.secretId.length + 1));
    expect(a).toEqual({ TmpSecretId: `${STS.secretId}.${n}`, TmpSecretKey: `${STS.secretKey}.${n}`, Token: `${STS.sessionToken}.${n}` });
    expect(b.TmpSecretId).toBe(`${STS.secretId}.${n + 1}`);
  });

  test('grants at most grantSeconds, and 7200 s when DurationSeconds is not asked', async () => {
    const asked = await assumeRole({ RoleArn: ROLE, RoleSessionName: 'ci-run', DurationSeconds: 43200 });
    expect(Math.abs(asked.response.ExpiredTime - Date.now() / 1000 - 3600)).toBeLessThanOrEqual(5);
  });

  test.each([
    ['an unknown role', { RoleArn: 'qcs::cam::uin/1:roleName/nobody', RoleSessionName: 'ci' }, {}, 'ResourceNotFound.RoleNotExist'],
    ['no RoleSessionName', { RoleArn: ROLE }, {}, 'MissingParameter'],
    ['a session name with a space', { RoleArn: ROLE, RoleSessionName: 'c i' }, {}, 'InvalidParameter.ParamError'],
    ['DurationSeconds 0', { RoleArn: ROLE, RoleSessionName: 'ci', DurationSeconds: 0 }, {}, 'InvalidParameter.ParamError'],
    ['an unknown parameter', { RoleArn: ROLE, RoleSessionName: 'ci', Colour: 'blue' }, {}, 'UnknownParameter'],
    ['another version', { RoleArn: ROLE, RoleSessionName: 'ci' }, { version: '2019-01-01' }, 'NoSuchVersion'],
    ['another action', { RoleArn: ROLE, RoleSessionName: 'ci' }, { action: 'GetFederationToken' }, 'InvalidAction'],
    ['a wrong key', { RoleArn: ROLE, RoleSessionName: 'ci' }, { sign: { secretKey: 'wrong' } }, 'AuthFailure.SignatureFailure'],
    ['an unknown SecretId', { RoleArn: ROLE, RoleSessionName: 'ci' }, { sign: { secretId: 'AKIDNOBODY' } }, 'AuthFailure.SecretIdNotFound'],
    ['a stale timestamp', { RoleArn: ROLE, RoleSessionName: 'ci' }, { sign: { timestamp: Math.floor(Date.now() / 1000) - 600 } }, 'AuthFailure.SignatureExpire'],
    ['a token with a permanent key', { RoleArn: ROLE, RoleSessionName: 'ci' }, { headers: { 'x-tc-token': 'x' } }, 'AuthFailure.TokenFailure'],
    ['no region', { RoleArn: ROLE, RoleSessionName: 'ci' }, { headers: { 'x-tc-region': undefined } }, 'MissingParameter'],
  ] as const)('refuses %s', async (_what, params, extra, code) => {
    const r = await assumeRole(params, BASE, extra as Parameters<typeof call>[1]);
    expect(r.status).toBe(200);
    expect(r.code).toBe(code);
    expect(typeof r.response.RequestId).toBe('string');
  });

  test('a base key the role does not trust is refused, a trusted temporary key (the instance role\'s) is not', async () => {
    const emu = await startEmulator({
      credentials: [BASE, { secretId: 'AKIDUNTRUSTED01', secretKey: 'k' }],
      sts: { roles: [{ roleArn: ROLE, allowedSecretIds: [INST.secretId] }], issued: STS },
      instanceRole: { roleName: 'dts-runner', issued: INST },
    });
    try {
      const refused = await call(emu.url, { ...STS_CALL, body: JSON.stringify({ RoleArn: ROLE, RoleSessionName: 'ci' }), sign: { service: 'sts', ...BASE } });
      expect(refused.code).toBe('AuthFailure.UnauthorizedOperation');
      const inst = JSON.parse((await send(new URL(emu.url), 'GET', '/latest/meta-data/cam/security-credentials/dts-runner', {}, '')).text);
      const ok = await call(emu.url, {
        ...STS_CALL,
        body: JSON.stringify({ RoleArn: ROLE, RoleSessionName: 'ci' }),
        sign: { service: 'sts', secretId: inst.TmpSecretId, secretKey: inst.TmpSecretKey },
        headers: { 'x-tc-token': inst.Token },
      });
      expect(ok.response.Credentials.TmpSecretId).toBe(STS.secretId);
    } finally {
      await emu.close();
    }
  });

  test('logs the request by action and SecretId, never a key or a token', async () => {
    const before = emulator.requests.length;
    const r = await assumeRole({ RoleArn: ROLE, RoleSessionName: 'ci-run' });
    const entries = emulator.requests.slice(before);
    expect(entries).toEqual([expect.objectContaining({ action: 'AssumeRole', version: '2018-08-13', secretId: BASE.secretId, outcome: 'Success', httpStatus: 200 })]);
    const text = JSON.stringify(entries);
    for (const secret of [BASE.secretKey, r.response.Credentials.TmpSecretKey, r.response.Credentials.Token, r.response.Credentials.TmpSecretId]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('the metadata service', () => {
  test('lists the role as plain text and answers its credentials as JSON, Code "Success"', async () => {
    const listing = await get('/latest/meta-data/cam/security-credentials/');
    expect(listing.status).toBe(200);
    expect(listing.headers['content-type']).toMatch(/^text\/plain/);
    expect(listing.text).toBe('dts-runner');
    const r = await get('/latest/meta-data/cam/security-credentials/dts-runner');
    const body = JSON.parse(r.text);
    expect(Object.keys(body).sort()).toEqual(['Code', 'Expiration', 'ExpiredTime', 'TmpSecretId', 'TmpSecretKey', 'Token']);
    expect(body.Code).toBe('Success');
    expect(body.TmpSecretId.startsWith(INST.secretId)).toBe(true);
    expect(Math.abs(body.ExpiredTime - Date.now() / 1000 - 4)).toBeLessThanOrEqual(1);
  });

  test('the DTS side accepts the instance key until it expires, then refuses it as expired', async () => {
    const body = JSON.parse((await get('/latest/meta-data/cam/security-credentials/dts-runner')).text);
    const key = { sign: { secretId: body.TmpSecretId, secretKey: body.TmpSecretKey }, headers: { 'x-tc-token': body.Token } };
    expect((await call(emulator.url, { jobId: JOB, ...key })).response.Status).toBe('finished');
    // Wait until the second it names has passed.
    await new Promise((r) => setTimeout(r, Math.max(0, body.ExpiredTime * 1000 - Date.now()) + 50));
    const refused = await call(emulator.url, { jobId: JOB, ...key });
    expect(refused.code).toBe('AuthFailure.TokenFailure');
    expect(refused.response.Error.Message).toBe(`The temporary credentials expired at ${new Date(body.ExpiredTime * 1000).toISOString()}.`);
  });

  test.each([
    { what: 'an unknown role', method: 'GET', path: '/latest/meta-data/cam/security-credentials/other', status: 404 },
    { what: 'another metadata item', method: 'GET', path: '/latest/meta-data/instance-id', status: 404 },
    { what: 'a POST', method: 'POST', path: '/latest/meta-data/cam/security-credentials/', status: 405 },
    { what: 'a malformed escape', method: 'GET', path: '/latest/meta-data/cam/security-credentials/%E0%A4%A', status: 404 },
  ])('answers $what with HTTP $status', async ({ method, path, status }) => {
    expect((await get(path, method)).status).toBe(status);
  });

  test('without an instanceRole, the listing is 404', async () => {
    const emu = await startEmulator({});
    try {
      expect((await send(new URL(emu.url), 'GET', '/latest/meta-data/cam/security-credentials/', {}, '')).status).toBe(404);
    } finally {
      await emu.close();
    }
  });
});

describe('the configuration', () => {
  const issued = { secretId: 'AKIDTMP1', secretKey: 'k', sessionToken: 't' };
  test.each([
    [{ sts: { roles: [], issued } }, /^sts\.roles must list at least one role/],
    [{ sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDNOBODY'] }], issued } }, /^sts\.roles\[0\]\.allowedSecretIds\[0\] must be the SecretId of credentials, instanceRole\.issued or sts\.issued \(got "AKIDNOBODY"\)/],
    [{ sts: { roles: [{ roleArn: 'arn:aws:iam::1:role/x', allowedSecretIds: ['AKIDEXAMPLE'] }], issued } }, /^sts\.roles\[0\]\.roleArn must be a role ARN/],
    [{ sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDEXAMPLE'] }], issued: { ...issued, secretId: 'AKIDEXAMPLE' } } }, /^sts\.issued\.secretId repeats the SecretId of a permanent key/],
    [{ sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDEXAMPLE'] }], issued: { ...issued, secretId: 'AKID/1' } } }, /^sts\.issued\.secretId must be printable ASCII without spaces, "\/" or ","/],
    [{ sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDEXAMPLE'] }], issued, grantSeconds: 0 } }, /^sts\.grantSeconds must be an integer 1\.\.43200 \(got 0\)/],
    [{ sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDEXAMPLE'] }], issued: { secretId: 'AKIDTMP1', secretKey: 'k' } } }, /^sts\.issued\.sessionToken must be printable ASCII/],
    [{ instanceRole: { roleName: '../x', issued } }, /^instanceRole\.roleName must be a CAM role name/],
    [{ instanceRole: { roleName: 'r', issued, lifetime: 5 } }, /^instanceRole\.lifetime is not a field of instanceRole \(expected one of roleName, issued, grantSeconds\)/],
    [{ instanceRole: { roleName: 'r', issued }, sts: { roles: [{ roleArn: ROLE, allowedSecretIds: ['AKIDTMP1'] }], issued } }, /^sts\.issued\.secretId repeats instanceRole\.issued\.secretId/],
  ])('%j is refused naming the field', (config, message) => {
    expect(() => resolveConfig(config)).toThrow(EmulatorConfigError);
    expect(() => resolveConfig(config)).toThrow(message);
  });
});
