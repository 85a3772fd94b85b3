import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { defaultProfileFiles, resolveCredentials } from '../../src/dts/credentials';
import { DtsCredentialsError } from '../../src/dts/errors';

const CANARY_KEY = 'CANARY-secret-key-7f3a9c';
const CANARY_TOKEN = 'CANARY-session-token-51b2';
const ID = 'AKIDcanaryIdentity0000000000001234';

let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'dts-cred-'));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function profile(text: string, dir = join(home, '.tencentcloud')): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'credentials');
  writeFileSync(file, text);
  return file;
}

function thrown(fn: () => unknown): DtsCredentialsError {
  try {
    fn();
  } catch (e) {
    return e as DtsCredentialsError;
  }
  throw new Error('expected a throw');
}

describe('the credentials chain', () => {
  test('explicit credentials win over the environment', () => {
    const c = resolveCredentials({ secretId: ID, secretKey: CANARY_KEY }, { env: { TENCENTCLOUD_SECRET_ID: 'other', TENCENTCLOUD_SECRET_KEY: 'other' } });
    expect(c).toMatchObject({ secretId: ID, source: 'explicit' });
    expect(c.secretKey).toBe(CANARY_KEY);
  });

  test('explicit credentials without a key are refused, naming the missing field', () => {
    expect(() => resolveCredentials({ secretId: ID, secretKey: '' })).toThrow(/explicit `credentials` are missing `secretKey`/);
  });

  test('reads the id, key and session token from the environment', () => {
    const c = resolveCredentials(undefined, {
      env: { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY, TENCENTCLOUD_SESSION_TOKEN: CANARY_TOKEN },
      profileFiles: [],
    });
    expect(c).toMatchObject({ secretId: ID, source: 'environment', sessionToken: CANARY_TOKEN });
  });

  test('accepts tccli\'s TENCENTCLOUD_TOKEN as the session token', () => {
    const env = { TENCENTCLOUD_SECRET_ID: ID, TENCENTCLOUD_SECRET_KEY: CANARY_KEY, TENCENTCLOUD_TOKEN: CANARY_TOKEN };
    const c = resolveCredentials(undefined, { env, profileFiles: [] });
    expect(c.sessionToken).toBe(CANARY_TOKEN);
  });

  test.each([
    ['the id', { TENCENTCLOUD_SECRET_ID: ID }, 'TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not'],
    ['the key', { TENCENTCLOUD_SECRET_KEY: CANARY_KEY }, 'TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not'],
  ])('an environment with only %s is an error saying which variable is missing', (_which, env, message) => {
    const err = thrown(() => resolveCredentials(undefined, { env, profileFiles: [] }));
    expect(err).toBeInstanceOf(DtsCredentialsError);
    expect(err.message).toContain(message);
    expect(err.code).toBe('IncompleteCredentials');
    expect(err.message).not.toContain(CANARY_KEY);
  });

  test('reads the [default] profile from ~/.tencentcloud/credentials under HOME', () => {
    const file = profile([
      '[other]', 'secret_id = wrong', 'secret_key = wrong', '', '# comment',
      '[default]', `secret_id = ${ID}`, `secret_key = ${CANARY_KEY}`, `token = ${CANARY_TOKEN}`, '',
    ].join('\n'));
    const files = defaultProfileFiles({ HOME: home });
    expect(files).toEqual([file, '/etc/tencentcloud/credentials']);
    const c = resolveCredentials(undefined, { env: { HOME: home } });
    expect(c).toMatchObject({ secretId: ID, sessionToken: CANARY_TOKEN, source: `profile ${file}` });
    expect(c.secretKey).toBe(CANARY_KEY);
  });

  test('falls through to the next profile file when the first has no [default] section', () => {
    const first = profile('[prod]\nsecret_id = x\nsecret_key = y\n');
    const second = profile(`[default]\nsecret_id=${ID}\nsecret_key=${CANARY_KEY}\n`, join(home, 'etc'));
    const c = resolveCredentials(undefined, { env: {}, profileFiles: [first, second] });
    expect(c.source).toBe(`profile ${second}`);
  });

  test('a profile with an id but no key is an error naming the file and the missing key', () => {
    const file = profile(`[default]\nsecret_id = ${ID}\n`);
    expect(() => resolveCredentials(undefined, { env: {}, profileFiles: [file] })).toThrow(`the [default] profile in ${file} has secret_id but no secret_key`);
  });

  test('when nothing is found, the error lists every place it looked and no value', () => {
    const err = thrown(() => resolveCredentials(undefined, { env: { HOME: home, TENCENTCLOUD_SESSION_TOKEN: CANARY_TOKEN } }));
    expect(err).toBeInstanceOf(DtsCredentialsError);
    expect(err.code).toBe('NoCredentials');
    for (const place of ['`credentials` option', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN',
      join(home, '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials']) {
      expect(err.message).toContain(place);
    }
    expect(err.message).not.toContain(CANARY_TOKEN);
  });

  test('the resolved credentials never show the key or token through toString, JSON or inspect', () => {
    const c = resolveCredentials({ secretId: ID, secretKey: CANARY_KEY, sessionToken: CANARY_TOKEN });
    for (const shown of [String(c), `${c}`, JSON.stringify(c), inspect(c), inspect(c, { showHidden: true, depth: 10 }), JSON.stringify({ nested: [c] }),
      Object.keys(c).join(','), JSON.stringify(Object.entries(c))]) {
      expect(shown).not.toContain(CANARY_KEY);
      expect(shown).not.toContain(CANARY_TOKEN);
    }
    expect(String(c)).toBe('ResolvedCredentials(***1234 from explicit, with session token)');
  });
});
