/**
 * Canary credentials, from the environment and from a profile file in a temporary HOME, never
 * appear in: the synthesized output (every file), the gate's command or environment, what the
 * gate and the check CLI print (success, failure, errors, JSON, progress, help), thrown errors
 * (message, JSON, inspect, describe, stack), the construct's messages, or the emulator's request
 * log and `--verbose` stderr. SecretKeys and tokens appear nowhere at all; a SecretId appears
 * only in the emulator log's `secretId` field, which is there by design (the id only).
 *
 * Extends test/construct/gate-apply.test.ts (a failing gate with env credentials) to every
 * output, passing and failing, with session tokens and profile-file credentials.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { TerraformStack, Testing } from 'cdktf';
import { Enforcement, SyncCheckResult } from '../../src';
import { DtsClient, DtsCredentials } from '../../src/dts/client';
import { DtsError } from '../../src/dts/errors';
import { closeConnections } from '../../src/dts/http';
import { readAllText } from '../construct/support';
import { fullSynth, testingApp } from '../support/cdktf';
import { ProcessResult, runProcess } from '../support/run-process';
import { cliScriptPath, scriptFor } from '../support/scripts';
import { tempDir } from '../support/temp';

const ENV = { id: 'AKIDCANARYENV7c41d0e9', key: 'CANARY-ENV-KEY-3b9f0d2a-never-print', token: 'CANARY-ENV-TOKEN-91ac5e77-never-print' };
const PROFILE = { id: 'AKIDCANARYPRF5e2b8c14', key: 'CANARY-PROFILE-KEY-d4e6a1f0-never-print', token: 'CANARY-PROFILE-TOKEN-0f7c3b2e-never-print' };
const WRONG = { key: 'CANARY-WRONG-KEY-77e1c9a3-never-print', token: 'CANARY-WRONG-TOKEN-5a0d4f6b-never-print' };
const SECRETS = [ENV.key, ENV.token, PROFILE.key, PROFILE.token, WRONG.key, WRONG.token];
const IDS = [ENV.id, PROFILE.id];
const ALL = [...SECRETS, ...IDS];

const JOBS = {
  passed: 'sync-canary01',
  failed: 'sync-canary02',
  slow: 'sync-canary03',
  slow2: 'sync-canary04',
};

const work = tempDir('dts-canary-');
const emptyHome = path.join(work, 'empty-home');
const profileHome = path.join(work, 'profile-home');
mkdirSync(emptyHome);
mkdirSync(path.join(profileHome, '.tencentcloud'), { recursive: true });
writeFileSync(
  path.join(profileHome, '.tencentcloud', 'credentials'),
  `[default]\nsecret_id = ${PROFILE.id}\nsecret_key = ${PROFILE.key}\ntoken = ${PROFILE.token}\n`,
  { mode: 0o600 },
);

let emulatorChild: ChildProcess;
let emulatorUrl: string;
let emulatorStdout = '';
let emulatorStderr = '';

/** Fail naming the canary and where it leaked, without printing the whole text. */
function expectClean(text: string, where: string, canaries: readonly string[] = ALL): void {
  const leaked = canaries.filter((c) => text.includes(c));
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}

beforeAll(async () => {
  // The emulator as its own process with --verbose, so its whole stderr can be read.
  const config = path.join(work, 'emulator.json');
  writeFileSync(config, JSON.stringify({
    rateLimitPerSecond: 0,
    credentials: [
      { secretId: ENV.id, secretKey: ENV.key, sessionToken: ENV.token },
      { secretId: PROFILE.id, secretKey: PROFILE.key, sessionToken: PROFILE.token },
    ],
    jobs: [
      { jobId: JOBS.passed, region: 'ap-guangzhou' },
      { jobId: JOBS.failed, region: 'ap-guangzhou', outcome: 'failed', failStep: 7 },
      { jobId: JOBS.slow, region: 'ap-guangzhou', checkSeconds: 1 },
      { jobId: JOBS.slow2, region: 'ap-guangzhou', checkSeconds: 1 },
    ],
  }), { mode: 0o600 });
  emulatorChild = spawn(process.execPath, [cliScriptPath(), 'emulator', '--config', config, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
  emulatorChild.stderr!.setEncoding('utf8').on('data', (c: string) => (emulatorStderr += c));
  emulatorUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${emulatorStderr}`)), 15_000);
    emulatorChild.stdout!.setEncoding('utf8').on('data', (c: string) => {
      emulatorStdout += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulatorStdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
});

afterAll(async () => {
  await closeConnections();
  if (emulatorChild.exitCode === null && emulatorChild.signalCode === null) {
    const exited = new Promise((r) => emulatorChild.once('exit', r));
    emulatorChild.kill('SIGTERM');
    await exited;
  }
});


function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<ProcessResult> {
  return runProcess(command, args, { env, cwd, timeoutMs: 30_000 });
}

/** Credentials from the environment, with a session token. */
const envCreds = (over: Partial<Record<'id' | 'key' | 'token', string>> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: emptyHome,
  TENCENTCLOUD_SECRET_ID: over.id ?? ENV.id,
  TENCENTCLOUD_SECRET_KEY: over.key ?? ENV.key,
  TENCENTCLOUD_SESSION_TOKEN: over.token ?? ENV.token,
});
/** No credential variables: the profile file in HOME is the only source. */
const profileCreds = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: profileHome });

describe('the check CLI never prints a credential', () => {
  // Arguments are built when the test runs: the emulator's URL is known only then.
  const check = (jobId: string, ...more: string[]) => () =>
    ['check', '--job-id', jobId, '--region', 'ap-guangzhou', '--endpoint', emulatorUrl, ...more];
  const fixed = (...args: string[]) => () => args;
  const scenarios: ReadonlyArray<readonly [string, () => string[], () => NodeJS.ProcessEnv, number]> = [
    ['a passed check as a table (environment credentials)', check(JOBS.passed), () => envCreds(), 0],
    ['a passed check as JSON (environment credentials)', check(JOBS.passed, '--output', 'json'), () => envCreds(), 0],
    ['a failed check as a table (profile credentials)', check(JOBS.failed), profileCreds, 1],
    ['a failed check as JSON (profile credentials)', check(JOBS.failed, '--output', 'json'), profileCreds, 1],
    ['a wait with progress lines', check(JOBS.slow, '--wait', '--interval', '0.2'), () => envCreds(), 0],
    ['a signature refused for a wrong key, as JSON', check(JOBS.passed, '--output', 'json'), () => envCreds({ key: WRONG.key }), 4],
    ['a signature refused for a wrong key, from the profile id', check(JOBS.passed), () => ({ ...profileCreds(), TENCENTCLOUD_SECRET_ID: PROFILE.id, TENCENTCLOUD_SECRET_KEY: WRONG.key }), 4],
    ['a wrong session token', check(JOBS.passed), () => envCreds({ token: WRONG.token }), 4],
    ['an unknown job', check('sync-nojob999', '--output', 'json'), () => envCreds(), 4],
    ['an unreachable endpoint', fixed('check', '--job-id', JOBS.passed, '--region', 'ap-guangzhou', '--endpoint', 'http://127.0.0.1:9'), () => envCreds(), 4],
    ['only a SecretId in the environment', check(JOBS.passed), () => ({ PATH: process.env.PATH, HOME: emptyHome, TENCENTCLOUD_SECRET_ID: ENV.id }), 4],
    ['a usage error', check(JOBS.passed, '--bogus'), () => envCreds(), 2],
    ['check --help', fixed('check', '--help'), () => envCreds(), 0],
    ['--help', fixed('--help'), () => envCreds(), 0],
    ['emulator --help', fixed('emulator', '--help'), () => envCreds(), 0],
  ];

  test.each(scenarios)('%s', async (_what, args, env, status) => {
    const r = await run(process.execPath, [scriptFor(args()[0]), ...args()], env());
    expect(r.status).toBe(status);
    expectClean(r.stdout, 'stdout');
    expectClean(r.stderr, 'stderr');
  });
});

describe('synthesis and the apply-time gate never carry a credential', () => {
  let saved: NodeJS.ProcessEnv;
  beforeAll(() => {
    saved = { ...process.env };
    Object.assign(process.env, envCreds(), { DTS_SYNC_CHECK_ENDPOINT: emulatorUrl });
  });
  afterAll(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  function synth(jobId: string, enforcement: Enforcement) {
    const app = testingApp();
    const stack = new TerraformStack(app, 'stack');
    const check = new SyncCheckResult(stack, 'dr-check', { jobId, region: 'ap-guangzhou', enforcement, pollIntervalSeconds: 0.2 });
    return { stack, check };
  }

  test('a passing synth-time lookup writes no credential into any synthesized file, command or environment', () => {
    const { stack, check } = synth(JOBS.passed, Enforcement.SYNTH_AND_APPLY);
    const outdir = fullSynth(stack);
    expect(check.passed).toBe(true);
    expectClean(readAllText(outdir), 'synthesized files');
    expectClean(JSON.stringify(check.report), 'the report');
    const tf = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    const local = Object.values(tf.resource.null_resource as Record<string, any>)[0].provisioner[0]['local-exec'];
    expectClean(JSON.stringify(local), 'the gate command and environment');
  });

  test('a failing synth-time lookup fails synthesis with a message that carries no credential', () => {
    const { stack, check } = synth(JOBS.failed, Enforcement.SYNTH_ONLY);
    expect(() => fullSynth(stack)).toThrow(/step 7/);
    try {
      fullSynth(stack);
    } catch (e) {
      expectClean((e as Error).message, 'the synthesis error');
    }
    expectClean(check.reason, 'the reason');
  });

  test('a lookup refused for a wrong key fails synthesis without the key', () => {
    process.env.TENCENTCLOUD_SECRET_KEY = WRONG.key;
    try {
      const { stack, check } = synth(JOBS.passed, Enforcement.SYNTH_ONLY);
      expect(check.passed).toBe(false);
      expectClean(check.reason, 'the reason');
      expect(() => Testing.synth(stack, true)).toThrow(/AuthFailure\.SignatureFailure/);
    } finally {
      process.env.TENCENTCLOUD_SECRET_KEY = ENV.key;
    }
  });

  test.each([
    ['passes', JOBS.passed, () => envCreds(), 0],
    ['fails', JOBS.failed, () => envCreds(), 1],
    ['waits, printing progress', JOBS.slow2, () => envCreds(), 0],
    ['uses the profile file', JOBS.passed, profileCreds, 0],
    ['is refused for a wrong key', JOBS.passed, () => envCreds({ key: WRONG.key }), 4],
    ['is refused for a wrong token', JOBS.passed, () => envCreds({ token: WRONG.token }), 4],
  ] as const)('a gate run as local-exec that %s prints no credential', async (_what, jobId, env, status) => {
    const { stack } = synth(jobId, Enforcement.APPLY_ONLY);
    const stackDir = path.join(fullSynth(stack), 'stacks', 'stack');
    const tf = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const local = Object.values(tf.resource.null_resource as Record<string, any>)[0].provisioner[0]['local-exec'];
    expectClean(local.command, 'the gate command');
    expectClean(JSON.stringify(local.environment), 'the gate environment');
    expectClean(readAllText(path.dirname(path.dirname(stackDir))), 'synthesized files');
    const r = await run('/bin/sh', ['-c', local.command], { ...env(), ...local.environment, DTS_SYNC_CHECK_ENDPOINT: emulatorUrl }, stackDir);
    expect(r.status).toBe(status);
    expectClean(r.stdout + r.stderr, 'the gate output');
  });
});

describe('thrown errors never carry a credential', () => {
  const shapes = (e: DtsError) => [e.message, JSON.stringify(e), inspect(e, { depth: 6 }), e.describe(), String(e), e.stack ?? '', JSON.stringify(e.toJSON())];

  test.each([
    ['a wrong key', { secretId: ENV.id, secretKey: WRONG.key, sessionToken: ENV.token }, JOBS.passed, /AuthFailure\.SignatureFailure/],
    ['a wrong token', { secretId: ENV.id, secretKey: ENV.key, sessionToken: WRONG.token }, JOBS.passed, /AuthFailure\.TokenFailure/],
    ['an unknown SecretId', { secretId: 'AKIDCANARYUNKNOWN00', secretKey: ENV.key }, JOBS.passed, /AuthFailure\.SecretIdNotFound/],
    ['an unknown job', { secretId: ENV.id, secretKey: ENV.key, sessionToken: ENV.token }, 'sync-nojob999', /ResourceNotFound/],
    ['explicit credentials without a key', { secretId: ENV.id, secretKey: '' }, JOBS.passed, /missing `secretKey`/],
  ] as const)('%s', async (_what, credentials, jobId, message) => {
    const client = new DtsClient({ region: 'ap-guangzhou', endpoint: emulatorUrl, credentials: credentials as DtsCredentials, maxAttempts: 1 });
    expectClean(inspect(client, { depth: 6 }) + JSON.stringify(client), 'the client', SECRETS);
    const error = await client.describeSyncCheck(jobId).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DtsError);
    expect((error as Error).message).toMatch(message);
    for (const shape of shapes(error as DtsError)) expectClean(shape, 'a rendering of the error', [...SECRETS, ENV.id]);
  });

  test('a network failure with environment credentials', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, envCreds());
    try {
      const client = new DtsClient({ region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
      const error = (await client.describeSyncCheck(JOBS.passed).then(() => undefined, (e: unknown) => e)) as DtsError;
      expect(error.code).toBe('NetworkError');
      for (const shape of shapes(error)) expectClean(shape, 'a rendering of the error');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});

describe('the emulator never logs a secret', () => {
  test('its --verbose request log names the SecretId only in the secretId field, and no key or token at all', async () => {
    // Stop the emulator and read its whole output: every line of the requests above has arrived
    // once its pipes have closed, however late a busy machine delivers them.
    if (emulatorChild.exitCode === null && emulatorChild.signalCode === null) {
      const closed = new Promise((r) => emulatorChild.once('close', r));
      emulatorChild.kill('SIGTERM');
      await closed;
    }
    expectClean(emulatorStdout + emulatorStderr, 'the emulator output', SECRETS);
    const entries = emulatorStderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(20);
    for (const entry of entries) expectClean(JSON.stringify({ ...entry, secretId: undefined }), 'a log entry outside secretId');
    expect(entries.some((e) => e.secretId === PROFILE.id)).toBe(true);
  });
});
