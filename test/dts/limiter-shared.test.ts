/**
 * The shared state of the request pace on disk: where it lives, what is in it (no secret), who
 * may read it, and that nothing left behind (a stale lock, a torn file, an unusable folder)
 * wedges or fails a lookup.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DtsInputError } from '../../src/dts/errors';
import { PacedLimiter, rateLimiterFor, rateLimitSettings, RATE_LIMIT_ENV } from '../../src/dts/limiter';
import { EMPTY_PACE, parsePace } from '../../src/dts/pace';
import { bucketName, defaultRateDir, LOCK_STALE_MS, prepareRateDir, SharedBucket, SharedBucketError, SWEEP_IDLE_MS } from '../../src/dts/shared-bucket';
import { tempDir } from '../support/temp';
import { VirtualClock } from '../support/time';

const ORIGIN = 'https://dts.tencentcloudapi.com';
const SECRET_ID = 'AKIDsharedLIMITcanary0000000000000001';
const mode = (p: string) => lstatSync(p).mode & 0o777; // eslint-disable-line no-bitwise
const envFor = (dir: string): NodeJS.ProcessEnv => ({ [RATE_LIMIT_ENV.DIR]: dir });
const soon = () => Date.now() + 60_000;

/** A folder for one test's limit, created as the limiter would (0700). */
function limitDir(): string {
  const dir = path.join(tempDir('dts-rate-'), 'limits');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

describe('settings', () => {
  test('the limit is shared by default, in a folder of this user under the temp folder', () => {
    expect(rateLimitSettings({})).toEqual({ shared: true, dir: defaultRateDir(), strict: true });
    expect(path.dirname(defaultRateDir())).toBe(tmpdir());
    if (process.getuid) expect(path.basename(defaultRateDir())).toBe(`dts-sync-check-rate-${process.getuid()}`);
  });

  test(`${RATE_LIMIT_ENV.DIR} moves the folder; ${RATE_LIMIT_ENV.SHARED}=false paces each process alone`, () => {
    expect(rateLimitSettings({ [RATE_LIMIT_ENV.DIR]: '/var/cache/dts' })).toEqual({ shared: true, dir: '/var/cache/dts', strict: false });
    expect(rateLimitSettings({ [RATE_LIMIT_ENV.SHARED]: 'FALSE', [RATE_LIMIT_ENV.DIR]: '/var/cache/dts' })).toEqual({ shared: false });
    expect(rateLimitSettings({ [RATE_LIMIT_ENV.SHARED]: 'true' }).shared).toBe(true);
  });

  test.each([
    [{ [RATE_LIMIT_ENV.SHARED]: 'yes' }, /DTS_SYNC_CHECK_SHARED_RATE_LIMIT must be true or false \(got "yes"\)/],
    [{ [RATE_LIMIT_ENV.DIR]: 'relative/dir' }, /DTS_SYNC_CHECK_RATE_DIR must be an absolute path to a folder \(got "relative\/dir"\)/],
  ])('refuses %j with an input error naming the variable', (env, message) => {
    expect(() => rateLimitSettings(env)).toThrow(DtsInputError);
    expect(() => rateLimitSettings(env)).toThrow(message);
    expect(() => rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env })).toThrow(message);
  });

  test(`with ${RATE_LIMIT_ENV.SHARED}=false nothing is written`, async () => {
    const dir = limitDir();
    const limiter = rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env: { ...envFor(dir), [RATE_LIMIT_ENV.SHARED]: 'false' } });
    expect(await limiter.acquire(soon())).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the state on disk', () => {
  test('one file per endpoint and SecretId, named by a SHA-256, 0600 in a 0700 folder it creates, with no secret in it', async () => {
    const dir = path.join(tempDir('dts-rate-'), 'new-folder');
    const limiter = rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env: envFor(dir) });
    expect(await limiter.acquire(soon())).toBe(true);
    limiter.throttled();
    expect(await limiter.acquire(soon())).toBe(true); // queued behind the throttle's change
    expect(mode(dir)).toBe(0o700);
    const expected = createHash('sha256').update(`dts-sync-check rate limit\n${ORIGIN}\n${SECRET_ID}`).digest('hex');
    expect(readdirSync(dir)).toEqual([`${expected}.json`]);
    expect(bucketName(ORIGIN, SECRET_ID)).toBe(expected);
    const file = path.join(dir, `${expected}.json`);
    expect(mode(file)).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET_ID);
    expect(text).not.toContain('AKID');
    expect(parsePace(JSON.parse(text))?.backoff).toBeDefined();
  });

  test('another SecretId or endpoint has a state of its own', async () => {
    const dir = limitDir();
    for (const key of [{ origin: ORIGIN, secretId: SECRET_ID }, { origin: ORIGIN, secretId: `${SECRET_ID}2` }, { origin: 'http://127.0.0.1:8080', secretId: SECRET_ID }]) {
      expect(await rateLimiterFor(key, 20, { env: envFor(dir) }).acquire(soon())).toBe(true);
    }
    expect(readdirSync(dir).filter((n) => /^[0-9a-f]{64}\.json$/.test(n))).toHaveLength(3);
  });

  test('two stores of one file (two processes) share one pace: 1.05/rate s apart and 20 per 1.1 s between them', async () => {
    const dir = limitDir();
    const name = bucketName(ORIGIN, SECRET_ID);
    const clock = new VirtualClock();
    const t0 = clock.now();
    const limiters = [0, 1].map(() => new PacedLimiter(new SharedBucket(dir, name, { strict: false }), 20, clock));
    const at: number[] = [];
    await Promise.all(Array.from({ length: 60 }, async (_, i) => {
      expect(await limiters[i % 2].acquire(t0 + 60_000)).toBe(true);
      at.push(clock.now() - t0);
    }));
    at.sort((a, b) => a - b);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(52.5 - 1e-6);
    for (let i = 20; i < at.length; i++) expect(at[i] - at[i - 20]).toBeGreaterThanOrEqual(1100 - 1e-6);
  });

  test('the largest state (two full logs of fractional times) fits the file, overwritten in place', async () => {
    const dir = limitDir();
    const name = bucketName(ORIGIN, SECRET_ID);
    const clock = new VirtualClock();
    const limiter = new PacedLimiter(new SharedBucket(dir, name, { strict: false }), 999, clock);
    await Promise.all(Array.from({ length: 300 }, () => limiter.acquire(clock.now() + 60_000)));
    const file = path.join(dir, `${name}.json`);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBe(4096);
    const state = parsePace(JSON.parse(text));
    expect(state?.slots).toHaveLength(50);
    expect(state?.sent).toHaveLength(50);
    expect(state?.slots.some((t) => !Number.isInteger(t))).toBe(true);
  });

  test.each([
    ['text that is not JSON', '{"at": 17958'],
    ['JSON of another shape', '{"at":"yesterday","next":0,"slots":[],"sent":[]}'],
    ['an empty file', ''],
  ])('a state file holding %s is reset, not fatal', async (_, content) => {
    const dir = limitDir();
    const file = path.join(dir, `${bucketName(ORIGIN, SECRET_ID)}.json`);
    writeFileSync(file, content, { mode: 0o600 });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(await rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env: envFor(dir) }).acquire(soon())).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(parsePace(JSON.parse(readFileSync(file, 'utf8')))?.sent).toHaveLength(1);
  });

  test('files of other keys unused for ten minutes are removed when a new key starts; fresh ones stay', async () => {
    const dir = limitDir();
    const old = (Date.now() - SWEEP_IDLE_MS - 60_000) / 1000;
    const idle = path.join(dir, `${'a'.repeat(64)}.json`);
    const orphanLock = path.join(dir, `${'b'.repeat(64)}.lock`);
    const fresh = path.join(dir, `${'c'.repeat(64)}.json`);
    const foreign = path.join(dir, 'notes.txt');
    for (const f of [idle, orphanLock, fresh, foreign]) writeFileSync(f, JSON.stringify(EMPTY_PACE));
    for (const f of [idle, orphanLock, foreign]) utimesSync(f, old, old);
    expect(await rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env: envFor(dir) }).acquire(soon())).toBe(true);
    expect(existsSync(idle)).toBe(false);
    expect(existsSync(orphanLock)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(foreign)).toBe(true); // not a file of ours
  });
});

describe('the lock', () => {
  const name = bucketName(ORIGIN, SECRET_ID);

  test.each([
    ['left by a killed process (10 s old)', -10],
    ['dated in the future (the clock was set back)', 10],
  ])('a lock %s is broken, not waited for', async (_, offsetSeconds) => {
    const dir = limitDir();
    const lock = path.join(dir, `${name}.lock`);
    writeFileSync(lock, '');
    const t = Date.now() / 1000 + offsetSeconds;
    utimesSync(lock, t, t);
    const store = new SharedBucket(dir, name, { strict: false, lockStaleMs: LOCK_STALE_MS });
    // Waited for instead, it would be given up on after 10 s with an error; here the change simply runs.
    await expect(store.update((s) => ({ state: { ...s, at: 1 }, value: 'changed' }))).resolves.toBe('changed');
    expect(existsSync(lock)).toBe(false);
    expect(parsePace(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')))?.at).toBe(1);
  });

  test('a lock a live process holds is waited for, and the change runs once it is released', async () => {
    const dir = limitDir();
    const lock = path.join(dir, `${name}.lock`);
    writeFileSync(lock, '');
    // A long staleness, so no pause of this busy machine can make the held lock look abandoned.
    const store = new SharedBucket(dir, name, { strict: false, lockStaleMs: 600_000 });
    let changed = false;
    const update = store.update((s) => {
      changed = true;
      return { state: s, value: undefined };
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(changed).toBe(false);
    unlinkSync(lock);
    await update;
    expect(changed).toBe(true);
  });
});

describe('the folder', () => {
  test('the default folder must be a real folder: a symbolic link planted in its place is refused', () => {
    const base = tempDir('dts-rate-');
    mkdirSync(path.join(base, 'elsewhere'));
    symlinkSync(path.join(base, 'elsewhere'), path.join(base, 'planted'));
    expect(() => prepareRateDir(path.join(base, 'planted'), true)).toThrow(SharedBucketError);
    expect(() => prepareRateDir(path.join(base, 'planted'), true)).toThrow(/is not a folder/);
  });

  test('our own folder opened to others is closed again (0700)', () => {
    const dir = path.join(tempDir('dts-rate-'), 'opened');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    prepareRateDir(dir, true);
    expect(mode(dir)).toBe(0o700);
  });

  test('a folder that cannot be used: the process paces itself alone and warns once, naming the folder and the way out', async () => {
    const notAFolder = path.join(tempDir('dts-rate-'), 'a-file');
    writeFileSync(notAFolder, '');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const limiter = rateLimiterFor({ origin: ORIGIN, secretId: SECRET_ID }, 20, { env: envFor(notAFolder) });
      for (let i = 0; i < 3; i++) expect(await limiter.acquire(soon())).toBe(true);
      limiter.throttled();
      expect(warn).toHaveBeenCalledTimes(1);
      const [message, options] = warn.mock.calls[0] as [string, { code: string }];
      expect(message).toContain(notAFolder);
      expect(message).toContain(RATE_LIMIT_ENV.DIR);
      expect(message).not.toContain(SECRET_ID);
      expect(options.code).toBe('DTS_SYNC_CHECK_RATE_LIMIT');
    } finally {
      warn.mockRestore();
    }
  });
});
