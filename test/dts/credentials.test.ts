/**
 * The credential chain's local links (explicit, environment, profiles), its order, its settings
 * and its "no credentials" message. Every test passes its own environment and a temporary HOME:
 * nothing of the developer's environment or home is read. The metadata service is turned off
 * here (`DTS_SYNC_CHECK_METADATA_ENDPOINT=off`) except where a test points it somewhere itself;
 * the remote links are in credentials-remote.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { defaultProfileFiles, resolveCredentials, tccliDir } from '../../src/dts/credentials';
import { DISCOVERY_TIMEOUT_MS } from '../../src/dts/credentials/instance-role';
import { DtsCredentialsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { tempDir } from '../support/temp';
import { expectWithinRule, SLACK_MS } from '../support/time';

const CANARY_KEY = 'CANARY-secret-key-7f3a9c';
const CANARY_TOKEN = 'CANARY-session-token-51b2';
const ID = 'AKIDcanaryIdentity0000000000001234';
const OTHER = { id: 'AKIDotherIdentity000000000000005678', key: 'CANARY-other-key-2e8d1b' };

let home: string;

beforeEach(() => {
  home = tempDir('dts-cred-');
});

afterAll(async () => {
  await closeConnections();
});

/** An environment with nothing but HOME and the metadata service turned off, plus `more`. */
const envWith = (more: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => ({ HOME: home, DTS_SYNC_CHECK_METADATA_ENDPOINT: 'off', ...more });

function write(file: string, text: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

const ini = (text: string, dir = join(home, '.tencentcloud')) => write(join(dir, 'credentials'), text);
const tccli = (profile: string, body: unknown, dir = join(home, '.tccli')) =>
  write(join(dir, `${profile}.credential`), typeof body === 'string' ? body : JSON.stringify(body));

async function thrown(promise: Promise<unknown>): Promise<DtsCredentialsError> {
  const result = await promise.then(() => undefined, (e: unknown) => e);
  if (!(result instanceof DtsCredentialsError)) throw new Error(`expected a DtsCredentialsError, got ${String(result)}`);
  return result;
}

describe('the order of the chain', () => {
  test('explicit credentials win over everything else', async () => {
    tccli('default', { secretId: OTHER.id, secretKey: OTHER.key });
    const env = envWith({ TENCENTCLOUD_SECRET_ID: OTHER.id, TENCENTCLOUD_SECRET_KEY: OTHER.key });
    const c = await resolveCredentials({ secretId: ID, secretKey: CANARY_KEY }, { env });
    expect(c).toMatchObject({ secretId: ID, source: 'explicit' });
    expect(c.secretKey).toBe(CANARY_KEY);
  });

  test('the environment wins over tccli\'s file and the INI file', async () => {
    tccli('default', { secretId: OTHER.id, secretKey: OTHER.key });
    ini(`[default]\nsecret_id = ${OTHER.id}\nsecret_key = ${OTHER.key}\n`);
    const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY }) });
    expect(c).toMatchObject({ secretId: ID, source: 'environment' });
  });

  test('tccli\'s file wins over the INI file for the same profile', async () => {
    const file = tccli('default', { secretId: ID, secretKey: CANARY_KEY, token: CANARY_TOKEN });
    ini(`[default]\nsecret_id = ${OTHER.id}\nsecret_key = ${OTHER.key}\n`);
    const c = await resolveCredentials(undefined, { env: envWith() });
    expect(c).toMatchObject({ secretId: ID, sessionToken: CANARY_TOKEN, source: `profile default in ${file}` });
    expect(c.secretKey).toBe(CANARY_KEY);
  });

  test('the first INI file that has the profile wins', async () => {
    const first = ini('[prod]\nsecret_id = x\nsecret_key = y\n');
    const second = ini(`[default]\nsecret_id=${ID}\nsecret_key=${CANARY_KEY}\n`, join(home, 'etc'));
    const third = ini(`[default]\nsecret_id=${OTHER.id}\nsecret_key=${OTHER.key}\n`, join(home, 'etc2'));
    const c = await resolveCredentials(undefined, { env: envWith(), profileFiles: [first, second, third] });
    expect(c.source).toBe(`profile default in ${second}`);
  });
});

describe('the environment', () => {
  test('reads the id, key and session token', async () => {
    const env = envWith({ TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY, TENCENTCLOUD_SESSION_TOKEN: CANARY_TOKEN });
    const c = await resolveCredentials(undefined, { env });
    expect(c).toMatchObject({ secretId: ID, source: 'environment', sessionToken: CANARY_TOKEN });
  });

  test.each([
    ['TENCENTCLOUD_SESSION_TOKEN (the SDKs\') before the others', { TENCENTCLOUD_SESSION_TOKEN: 'a', TENCENTCLOUD_SECURITY_TOKEN: 'b', TENCENTCLOUD_TOKEN: 'c' }, 'a'],
    ['TENCENTCLOUD_SECURITY_TOKEN (the provider\'s) before tccli\'s', { TENCENTCLOUD_SECURITY_TOKEN: 'b', TENCENTCLOUD_TOKEN: 'c' }, 'b'],
    ['TENCENTCLOUD_TOKEN (tccli\'s) when it is the only one', { TENCENTCLOUD_TOKEN: 'c' }, 'c'],
  ])('takes the session token from %s', async (_what, tokens, expected) => {
    const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY, ...tokens }) });
    expect(c.sessionToken).toBe(expected);
  });

  test.each([
    ['the id', { TENCENTCLOUD_SECRET_ID: ID }, 'TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not'],
    ['the key', { TENCENTCLOUD_SECRET_KEY: CANARY_KEY }, 'TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not'],
  ])('only %s is an error saying which variable is missing', async (_which, env, message) => {
    const err = await thrown(resolveCredentials(undefined, { env: envWith(env) }));
    expect(err.message).toContain(message);
    expect(err.code).toBe('IncompleteCredentials');
    expect(err.message).not.toContain(CANARY_KEY);
  });

  test('a SecretId or token that could break a header is refused without being shown', async () => {
    for (const env of [
      { TENCENTCLOUD_SECRET_ID: `${ID}\r\nX-Evil: 1`, TENCENTCLOUD_SECRET_KEY: CANARY_KEY },
      { TENCENTCLOUD_SECRET_ID: `${ID}/2026-01-01`, TENCENTCLOUD_SECRET_KEY: CANARY_KEY },
      { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY, TENCENTCLOUD_SESSION_TOKEN: `${CANARY_TOKEN} x` },
    ]) {
      const err = await thrown(resolveCredentials(undefined, { env: envWith(env) }));
      expect(err.code).toBe('MalformedCredentials');
      expect(err.message).toMatch(/from the environment/);
      expect(err.message).not.toContain(ID);
      expect(err.message).not.toContain(CANARY_TOKEN);
    }
  });
});

describe('profiles', () => {
  test('reads tccli\'s default profile, with its token', async () => {
    const file = tccli('default', { secretId: ID, secretKey: CANARY_KEY, token: CANARY_TOKEN });
    expect(file).toBe(join(tccliDir({ HOME: home }), 'default.credential'));
    const c = await resolveCredentials(undefined, { env: envWith() });
    expect(c).toMatchObject({ secretId: ID, sessionToken: CANARY_TOKEN, source: `profile default in ${file}` });
  });

  test('TENCENTCLOUD_SHARED_CREDENTIALS_DIR moves tccli\'s folder, with ~ as the home folder', async () => {
    tccli('default', { secretId: OTHER.id, secretKey: OTHER.key });
    const file = tccli('default', { secretId: ID, secretKey: CANARY_KEY }, join(home, 'shared'));
    for (const dir of [join(home, 'shared'), '~/shared']) {
      const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir }) });
      expect(c.source).toBe(`profile default in ${file}`);
    }
  });

  test('TENCENTCLOUD_PROFILE picks a tccli profile and an INI section by name', async () => {
    tccli('default', { secretId: OTHER.id, secretKey: OTHER.key });
    const fromTccli = tccli('ci', { secretId: ID, secretKey: CANARY_KEY });
    expect((await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_PROFILE: 'ci' }) })).source).toBe(`profile ci in ${fromTccli}`);

    const fromIni = ini(`[default]\nsecret_id = ${OTHER.id}\nsecret_key = ${OTHER.key}\n[prod]\nsecret_id = ${ID}\nsecret_key = ${CANARY_KEY}\ntoken = ${CANARY_TOKEN}\n`);
    const c = await resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_PROFILE: 'prod' }) });
    expect(c).toMatchObject({ secretId: ID, sessionToken: CANARY_TOKEN, source: `profile prod in ${fromIni}` });
  });

  test('a profile named by TENCENTCLOUD_PROFILE that exists nowhere is an error naming every file looked at', async () => {
    tccli('default', { secretId: ID, secretKey: CANARY_KEY });
    ini(`[default]\nsecret_id = ${ID}\nsecret_key = ${CANARY_KEY}\n`);
    const err = await thrown(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_PROFILE: 'staging' }) }));
    expect(err.code).toBe('ProfileNotFound');
    expect(err.message).toBe(
      `the profile "staging" named by TENCENTCLOUD_PROFILE was not found in ${join(home, '.tccli', 'staging.credential')}, `
      + `${join(home, '.tencentcloud', 'credentials')}, /etc/tencentcloud/credentials`,
    );
  });

  test.each(['../etc/passwd', 'a/b', '.hidden', 'x y'])('TENCENTCLOUD_PROFILE %j is refused before any file is read', async (name) => {
    const err = await thrown(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_PROFILE: name }) }));
    expect(err.code).toBe('InvalidCredentialSetting');
    expect(err.message).toMatch(/^TENCENTCLOUD_PROFILE must be a profile name/);
  });

  test('a tccli file that is not JSON is an error naming the file and showing none of its text', async () => {
    const file = tccli('default', `{"secretId": "${ID}", "secretKey": ${CANARY_KEY}}`);
    const err = await thrown(resolveCredentials(undefined, { env: envWith() }));
    expect(err).toMatchObject({ code: 'MalformedProfile', message: `the tccli profile file ${file} is not valid JSON` });
  });

  test('a tccli profile with an id but no key, or a role without a session name, is an error naming the key', async () => {
    const file = tccli('default', { secretId: ID });
    expect(await thrown(resolveCredentials(undefined, { env: envWith() }))).toMatchObject({
      code: 'IncompleteCredentials', message: `the profile "default" in ${file} has \`secretId\` but no \`secretKey\``,
    });
    tccli('default', { 'secretId': ID, 'secretKey': CANARY_KEY, 'role-arn': 'qcs::cam::uin/100000000001:roleName/x' });
    const err = await thrown(resolveCredentials(undefined, { env: envWith() }));
    expect(err.code).toBe('IncompleteCredentials');
    expect(err.message).toBe(`\`role-arn\` of the profile "default" in ${file} is set but \`role-session-name\` of the profile "default" in ${file} is not: AssumeRole needs a session name (2 to 128 of letters, digits and +=,.@_-)`);
  });

  test('an INI profile with an id but no key is an error naming the file and the missing key', async () => {
    const file = ini(`[default]\nsecret_id = ${ID}\n`);
    const err = await thrown(resolveCredentials(undefined, { env: envWith(), profileFiles: [file] }));
    expect(err.message).toBe(`the [default] profile in ${file} has secret_id but no secret_key`);
  });

  test('defaultProfileFiles are the home INI file, then /etc', () => {
    expect(defaultProfileFiles({ HOME: home })).toEqual([join(home, '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials']);
  });
});

describe('settings are checked before anything is read or sent', () => {
  const keys = { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY };
  test.each([
    [{ TENCENTCLOUD_ASSUME_ROLE_ARN: 'qcs::cam::uin/1:roleName/x' }, 'IncompleteCredentials', /^TENCENTCLOUD_ASSUME_ROLE_ARN is set but TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME is not/],
    [{ TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci' }, 'IncompleteCredentials', /^TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME is set but TENCENTCLOUD_ASSUME_ROLE_ARN is not/],
    [{ TENCENTCLOUD_ASSUME_ROLE_ARN: 'arn:aws:iam::1:role/x', TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci' }, 'InvalidCredentialSetting', /^TENCENTCLOUD_ASSUME_ROLE_ARN must be a role ARN .* \(got "arn:aws:iam::1:role\/x"\)$/],
    [{ TENCENTCLOUD_ASSUME_ROLE_ARN: 'qcs::cam::uin/1:roleName/x', TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'c i' }, 'InvalidCredentialSetting', /^TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME must be 2 to 128/],
    [{ TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: '7200s' }, 'InvalidCredentialSetting', /^TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION must be a whole number of seconds from 0 to 43200 \(0 means 7200; got "7200s"\)$/],
    [{ TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: '43201' }, 'InvalidCredentialSetting', /got "43201"/],
    [{ TENCENTCLOUD_CAM_ROLE_NAME: '../admin' }, 'InvalidCredentialSetting', /^TENCENTCLOUD_CAM_ROLE_NAME must be a CAM role name/],
    [{ DTS_SYNC_CHECK_STS_ENDPOINT: 'http://sts.example.com' }, 'InvalidEndpoint', /^DTS_SYNC_CHECK_STS_ENDPOINT must use https: plain http is only allowed to loopback/],
    [{ DTS_SYNC_CHECK_METADATA_ENDPOINT: 'http://169.254.0.23' }, 'InvalidEndpoint', /^DTS_SYNC_CHECK_METADATA_ENDPOINT must use https: plain http is only allowed to loopback/],
    [{ DTS_SYNC_CHECK_METADATA_ENDPOINT: 'http://127.0.0.1:8080/latest/meta-data' }, 'InvalidEndpoint', /^DTS_SYNC_CHECK_METADATA_ENDPOINT must be a scheme, host and optional port only/],
  ])('%j is refused even when keys are found', async (setting, code, message) => {
    const err = await thrown(resolveCredentials(undefined, { env: envWith({ ...keys, ...setting }) }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(CANARY_KEY);
  });

});

describe('when nothing is found', () => {
  test('the error lists every place looked at, in order, and no value', async () => {
    const err = await thrown(resolveCredentials(undefined, { env: envWith({ TENCENTCLOUD_SESSION_TOKEN: CANARY_TOKEN }) }));
    expect(err.code).toBe('NoCredentials');
    const places = ['`credentials` option', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN',
      'TENCENTCLOUD_TOKEN', 'the profile "default" (TENCENTCLOUD_PROFILE)', join(home, '.tccli', 'default.credential'), join(home, '.tencentcloud', 'credentials'),
      '/etc/tencentcloud/credentials', 'the CVM instance role (TENCENTCLOUD_CAM_ROLE_NAME', 'not asked: DTS_SYNC_CHECK_METADATA_ENDPOINT=off'];
    const at = places.map((p) => err.message.indexOf(p));
    expect(at.filter((i) => i < 0)).toEqual([]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(err.message).not.toContain(CANARY_TOKEN);
  });

  test('a metadata service that refuses the connection is named as not reachable (not as a timeout)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const err = await thrown(resolveCredentials(undefined, { env: envWith({ DTS_SYNC_CHECK_METADATA_ENDPOINT: `http://127.0.0.1:${port}` }) }));
    expect(err.code).toBe('NoCredentials');
    expect(err.message).toMatch(new RegExp(`at http://127\\.0\\.0\\.1:${port}/latest/meta-data/cam/security-credentials/: not reachable$`));
  });

  describe('with a metadata service that accepts and never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      server = createServer((s) => sockets.add(s));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    });

    test('the error comes after the discovery timeout, not later', async () => {
      const port = (server.address() as { port: number }).port;
      const started = Date.now();
      const err = await thrown(resolveCredentials(undefined, { env: envWith({ DTS_SYNC_CHECK_METADATA_ENDPOINT: `http://127.0.0.1:${port}` }) }));
      const elapsed = Date.now() - started;
      expect(err.code).toBe('NoCredentials');
      expect(err.message).toContain(`: no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s`);
      expect(elapsed).toBeGreaterThanOrEqual(DISCOVERY_TIMEOUT_MS - 50);
      expectWithinRule(elapsed, DISCOVERY_TIMEOUT_MS, SLACK_MS.inProcess, 'the lookup');
    });
  });
});

test('resolved credentials never show the key or token through toString, JSON or inspect', async () => {
  const c = await resolveCredentials({ secretId: ID, secretKey: CANARY_KEY, sessionToken: CANARY_TOKEN });
  for (const shown of [String(c), `${c}`, JSON.stringify(c), inspect(c), inspect(c, { showHidden: true, depth: 10 }), JSON.stringify({ nested: [c] }),
    Object.keys(c).join(','), JSON.stringify(Object.entries(c))]) {
    expect(shown).not.toContain(CANARY_KEY);
    expect(shown).not.toContain(CANARY_TOKEN);
  }
  expect(String(c)).toBe('ResolvedCredentials(***1234 from explicit, with session token)');
});

test('explicit credentials without a key are refused, naming the missing field', async () => {
  await expect(resolveCredentials({ secretId: ID, secretKey: '' })).rejects.toThrow(/explicit `credentials` are missing `secretKey`/);
});
