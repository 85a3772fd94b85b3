/**
 * The chain's remote links against the emulator on 127.0.0.1: the CVM instance role from the
 * metadata service (named, discovered, tccli's cvm-role profile), STS AssumeRole on top of keys
 * from the environment, a tccli profile or the instance role, and their failures. A hostile
 * metadata service shows that nothing it answers is echoed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { DtsClient } from '../../src/dts/client';
import { credentialProvider, resolveCredentials } from '../../src/dts/credentials';
import { DtsCredentialsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { harnessEnv } from '../support/run-process';
import { tempDir } from '../support/temp';
import { VirtualClock } from '../support/time';

const BASE = { secretId: 'AKIDREMOTEBASE0001', secretKey: 'CANARY-remote-base-key-4d1e' };
const INST = { secretId: 'AKIDREMOTEINST0001', secretKey: 'CANARY-remote-inst-key-8a2c', sessionToken: 'CANARY-remote-inst-token-77f0' };
const STS = { secretId: 'AKIDREMOTESTS00001', secretKey: 'CANARY-remote-sts-key-3b9e', sessionToken: 'CANARY-remote-sts-token-c5a1' };
const ROLE = 'qcs::cam::uin/100000000001:roleName/dts-checker';
const CHAINED = 'qcs::cam::uin/100000000001:roleName/from-instance';
const UNKNOWN = 'qcs::cam::uin/100000000001:roleName/nobody';
const JOB = 'sync-remote01';
const SECRETS = [BASE.secretKey, INST.secretKey, INST.sessionToken, STS.secretKey, STS.sessionToken];

let emulator: RunningEmulator;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [BASE],
    jobs: [{ jobId: JOB, region: 'ap-guangzhou', family: '2018' }],
    rateLimitPerSecond: 0,
    sts: { roles: [{ roleArn: ROLE, allowedSecretIds: [BASE.secretId] }, { roleArn: CHAINED, allowedSecretIds: [INST.secretId] }], issued: STS },
    instanceRole: { roleName: 'dts-runner', issued: INST },
  });
});

afterAll(async () => {
  await closeConnections();
  await emulator.close();
});

beforeEach(() => {
  home = tempDir('dts-cred-remote-');
});

/** HOME, the emulator as STS and metadata service, plus `more`. */
const envWith = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  HOME: home,
  DTS_SYNC_CHECK_STS_ENDPOINT: emulator.url,
  DTS_SYNC_CHECK_METADATA_ENDPOINT: emulator.url,
  ...more,
});
const baseKeys = { TENCENTCLOUD_SECRET_ID: BASE.secretId, TENCENTCLOUD_SECRET_KEY: BASE.secretKey };
const assume = (arn = ROLE) => ({ TENCENTCLOUD_ASSUME_ROLE_ARN: arn, TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci-run' });

function tccli(profile: string, body: unknown): string {
  const file = join(home, '.tccli', `${profile}.credential`);
  mkdirSync(join(home, '.tccli'), { recursive: true });
  writeFileSync(file, JSON.stringify(body), { mode: 0o600 });
  return file;
}

async function failure(promise: Promise<unknown>): Promise<DtsCredentialsError> {
  const e = await promise.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof DtsCredentialsError)) throw new Error(`expected a DtsCredentialsError, got ${String(e)}`);
  for (const secret of SECRETS) expect(e.message).not.toContain(secret);
  return e;
}

/** Seconds from now to `expiresAt`. */
const lifetime = (expiresAt: number | undefined) => Math.round(((expiresAt ?? 0) - Date.now()) / 1000);

describe('the CVM instance role', () => {
  test('named by TENCENTCLOUD_CAM_ROLE_NAME: its temporary key, token and expiry', async () => {
    const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'dts-runner' }) });
    expect(c.secretId.startsWith(INST.secretId)).toBe(true);
    expect(c.sessionToken?.startsWith(INST.sessionToken)).toBe(true);
    expect(c.source).toBe('instance role dts-runner');
    expect(Math.abs(lifetime(c.expiresAt) - 7200)).toBeLessThanOrEqual(5);
  });

  test('discovered from the listing when nothing else has credentials', async () => {
    const before = emulator.requests.length;
    const c = await resolveCredentials(undefined, { env: envWith() });
    expect(c.source).toBe('instance role dts-runner');
    expect(emulator.requests.slice(before).map((r) => r.action)).toEqual([
      'GET /latest/meta-data/cam/security-credentials/',
      'GET /latest/meta-data/cam/security-credentials/dts-runner',
    ]);
  });

  test('never asked when a profile has keys', async () => {
    tccli('default', { secretId: BASE.secretId, secretKey: BASE.secretKey });
    const before = emulator.requests.length;
    expect((await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'dts-runner' }) })).source).toMatch(/^profile default in /);
    expect(emulator.requests.length).toBe(before);
  });

  test('tccli\'s `use-cvm-role` profile ("type": "cvm-role") takes the instance role', async () => {
    tccli('default', { type: 'cvm-role' });
    expect((await resolveCredentials(undefined, { env: envWith() })).source).toBe('instance role dts-runner');
  });

  test('a named role that is not bound is an error, not a fall-through', async () => {
    const err = await failure(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'other-role' }) }));
    expect(err.code).toBe('InstanceRoleFailed');
    expect(err.message).toBe(`the CVM metadata service (${emulator.url}) for the instance role "other-role" answered HTTP 404: no role of that name is bound to this instance`);
  });
});

describe('AssumeRole on top of the base credentials', () => {
  test('of TENCENTCLOUD_ASSUME_ROLE_ARN with keys from the environment, for the default 7200 s', async () => {
    const before = emulator.requests.length;
    const c = await resolveCredentials(undefined, { env: envWith({ ...baseKeys, ...assume() }) });
    expect(c.secretId.startsWith(STS.secretId)).toBe(true);
    expect(c.sessionToken?.startsWith(STS.sessionToken)).toBe(true);
    expect(c.source).toBe(`role ${ROLE} assumed with environment`);
    expect(Math.abs(lifetime(c.expiresAt) - 7200)).toBeLessThanOrEqual(5);
    expect(emulator.requests.slice(before)).toEqual([expect.objectContaining({ action: 'AssumeRole', version: '2018-08-13', region: 'ap-guangzhou', secretId: BASE.secretId, outcome: 'Success' })]);
  });

  test.each([['900', 900], ['0', 7200], ['43200', 43200]])('TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION=%s asks for %d s', async (raw, seconds) => {
    const c = await resolveCredentials(undefined, { env: envWith({ ...baseKeys, ...assume(), TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: raw }) });
    expect(Math.abs(lifetime(c.expiresAt) - seconds)).toBeLessThanOrEqual(5);
  });

  test('the region of the job goes to STS as X-TC-Region', async () => {
    const before = emulator.requests.length;
    await resolveCredentials(undefined, { env: envWith({ ...baseKeys, ...assume() }), region: 'ap-shanghai' });
    expect(emulator.requests.slice(before).map((r) => r.region)).toEqual(['ap-shanghai']);
  });

  test('of the tccli profile\'s role-arn with the profile\'s keys', async () => {
    const file = tccli('default', { 'secretId': BASE.secretId, 'secretKey': BASE.secretKey, 'role-arn': ROLE, 'role-session-name': 'tccli-session' });
    const c = await resolveCredentials(undefined, { env: envWith() });
    expect(c.source).toBe(`role ${ROLE} assumed with profile default in ${file}`);
  });

  test('TENCENTCLOUD_ASSUME_ROLE_ARN wins over the profile\'s role-arn', async () => {
    tccli('default', { secretId: BASE.secretId, secretKey: BASE.secretKey, roleArn: UNKNOWN, roleSessionName: 'tccli-session' });
    const c = await resolveCredentials(undefined, { env: envWith(assume()) });
    expect(c.source).toMatch(new RegExp(`^role ${ROLE} assumed with profile default in `));
  });

  test('with the instance role as the base', async () => {
    const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'dts-runner', ...assume(CHAINED) }) });
    expect(c.source).toBe(`role ${CHAINED} assumed with instance role dts-runner`);
    expect(c.secretId.startsWith(STS.secretId)).toBe(true);
  });

  test('an unknown role is an AssumeRoleFailed error with STS\'s code and request id', async () => {
    const err = await failure(resolveCredentials(undefined, { env: envWith({ ...baseKeys, ...assume(UNKNOWN) }) }));
    expect(err.code).toBe('AssumeRoleFailed');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toBe(
      `AssumeRole of role ${UNKNOWN} at ${new URL(emulator.url).host} failed: ResourceNotFound.RoleNotExist: "The role \\"${UNKNOWN}\\" does not exist." (request id ${err.requestId})`,
    );
  });

  test('a base key the role does not trust is refused', async () => {
    const err = await failure(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'dts-runner', ...assume(ROLE) }) }));
    expect(err.code).toBe('AssumeRoleFailed');
    expect(err.message).toMatch(/failed: AuthFailure\.UnauthorizedOperation: /);
  });

  test('a wrong base key is refused by the signature check', async () => {
    const err = await failure(resolveCredentials(undefined, { env: envWith({ ...baseKeys, TENCENTCLOUD_SECRET_KEY: 'CANARY-wrong-key-0000', ...assume() }) }));
    expect(err.message).toMatch(/failed: AuthFailure\.SignatureFailure: /);
    expect(err.message).not.toContain('CANARY-wrong-key-0000');
  });

  test('an unreachable STS is a StsUnreachable error', async () => {
    const err = await failure(resolveCredentials(undefined, { env: envWith({ ...baseKeys, ...assume(), DTS_SYNC_CHECK_STS_ENDPOINT: 'http://127.0.0.1:9' }) }));
    expect(err.code).toBe('StsUnreachable');
    expect(err.message).toMatch(/^AssumeRole of role \S+ at 127\.0\.0\.1:9 failed: cannot reach 127\.0\.0\.1:9/);
  });
});

describe('through DtsClient', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = saved;
  });

  test('an assumed role\'s temporary key signs the lookup, with its token', async () => {
    process.env = { ...harnessEnv(), ...envWith({ ...baseKeys, ...assume() }) };
    const before = emulator.requests.length;
    const report = await new DtsClient({ region: 'ap-guangzhou', endpoint: emulator.url }).describeSyncCheck(JOB);
    expect(report.passed).toBe(true);
    const log = emulator.requests.slice(before);
    expect(log.map((r) => r.action)).toEqual(['AssumeRole', 'DescribeSyncCheckJob']);
    expect(log[1].secretId?.startsWith(STS.secretId)).toBe(true);
    expect(log[1].outcome).toBe('Success');
  });

  test('an STS refusal keeps its request id in the client\'s error', async () => {
    process.env = { ...harnessEnv(), ...envWith({ ...baseKeys, ...assume(UNKNOWN) }) };
    const err = await failure(new DtsClient({ region: 'ap-guangzhou', endpoint: emulator.url }).describeSyncCheck(JOB));
    expect(err).toMatchObject({ code: 'AssumeRoleFailed', action: 'DescribeSyncCheckJob', jobId: JOB, region: 'ap-guangzhou' });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.describe()).toContain(`request id ${err.requestId}`);
  });
});

test('the provider fetches the instance role again when the refresh is due on its clock', async () => {
  const clock = new VirtualClock(Date.now());
  const provider = credentialProvider(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'dts-runner' }), clock });
  const first = await provider();
  clock.advance(60 * 60_000);
  expect((await provider()).secretId).toBe(first.secretId);
  clock.advance(55 * 60_000); // 5 minutes before the 2-hour key expires
  const second = await provider();
  expect(second.secretId).not.toBe(first.secretId);
  expect(second.secretId.startsWith(INST.secretId)).toBe(true);
});

describe('a hostile metadata service', () => {
  const CANARY = 'CANARY-hostile-metadata-9e4f';
  let server: Server;
  let answer: { status: number; body: string } = { status: 200, body: '' };
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await closeConnections();
    await new Promise((r) => server.close(r));
  });

  const good = { TmpSecretId: 'AKIDTMP0001', TmpSecretKey: CANARY, Token: CANARY, ExpiredTime: Math.floor(Date.now() / 1000) + 3600, Code: 'Success' };
  test.each([
    ['without a token', { ...good, Token: undefined }, 'MalformedCredentialResponse', /answered without a usable `Token`$/],
    ['with a string ExpiredTime', { ...good, ExpiredTime: '1700000000' }, 'MalformedCredentialResponse', /without a usable `ExpiredTime`$/],
    ['with Code Failure', { ...good, Code: 'Failure' }, 'InstanceRoleFailed', /answered Code "Failure" instead of "Success"$/],
    ['with a SecretId that breaks a header', { ...good, TmpSecretId: `AKID\r\n${CANARY}` }, 'MalformedCredentialResponse', /has characters a SecretId cannot have/],
    ['with a token that has spaces', { ...good, Token: `${CANARY} x` }, 'MalformedCredentialResponse', /has characters a token cannot have/],
    ['with an array', [good], 'MalformedCredentialResponse', /answered something that is not a JSON object$/],
  ])('answering %s is a clear error that echoes nothing it sent', async (_what, body, code, message) => {
    answer = { status: 200, body: JSON.stringify(body) };
    const err = await failure(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_CAM_ROLE_NAME: 'r', DTS_SYNC_CHECK_METADATA_ENDPOINT: url }) }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(CANARY);
  });

  test.each([
    ['two roles', 'role-a\nrole-b', /: it lists 2 roles; name one with TENCENTCLOUD_CAM_ROLE_NAME$/],
    ['an HTML page', `<html>${CANARY}</html>`, /: its answer is not a role name$/],
    ['a path', '../../admin', /: its answer is not a role name$/],
  ])('a listing of %s is no instance role (not an error of its own)', async (_what, body, message) => {
    answer = { status: 200, body };
    const err = await failure(resolveCredentials(undefined, { env: envWith({ DTS_SYNC_CHECK_METADATA_ENDPOINT: url }) }));
    expect(err.code).toBe('NoCredentials');
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(CANARY);
  });
});
