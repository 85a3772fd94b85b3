/**
 * The shared request limit across real processes: node processes drawing from one folder against
 * the emulator's rate limit, and gates as Terraform starts them. What is asserted is behaviour
 * (nothing refused, everything passed, one shared state), never spacing or speed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
// eslint-disable-next-line import/no-extraneous-dependencies -- esbuild is a development tool, like the tests
import { buildSync } from 'esbuild';
import { RATE_LIMIT_ENV } from '../../src/dts/limiter';
import { parsePace } from '../../src/dts/pace';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { runProcess } from '../support/run-process';
import { lookupScriptPath } from '../support/scripts';
import { tempDir } from '../support/temp';
import { SLACK_MS } from '../support/time';

const CREDS = { secretId: 'AKIDprocessLIMITtest00000000000000001', secretKey: 'process-limit-test-key-00000001' };
const JOBS = Array.from({ length: 18 }, (_, i) => `sync-rl${String(i).padStart(6, '0')}`);

let runner: string;
let limited: RunningEmulator;
let open: RunningEmulator;

beforeAll(async () => {
  runner = path.join(tempDir('dts-rate-runner-'), 'paced-lookups.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'fixtures', 'paced-lookups.ts')],
    outfile: runner,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  // The 2018-03-30 family: the fixture pins that version, and AUTO gates then send one request each.
  const jobs = JOBS.map((jobId) => ({ jobId, region: 'ap-guangzhou', family: '2018' as const }));
  limited = await startEmulator({ credentials: [CREDS], jobs, rateLimitPerSecond: 9 });
  open = await startEmulator({ credentials: [CREDS], jobs, rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await limited.close();
  await open.close();
});

function env(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tempDir('dts-rate-home-'),
    TENCENTCLOUD_SECRET_ID: CREDS.secretId,
    TENCENTCLOUD_SECRET_KEY: CREDS.secretKey,
    [RATE_LIMIT_ENV.DIR]: dir,
    ...extra,
  };
}

/** The one state file in `dir`, parsed. */
function sharedState(dir: string) {
  const files = readdirSync(dir).filter((n) => n.endsWith('.json'));
  expect(files).toHaveLength(1);
  const text = readFileSync(path.join(dir, files[0]), 'utf8');
  expect(text).not.toContain(CREDS.secretId);
  return parsePace(JSON.parse(text));
}

test('six processes asking 3 requests/s each keep together under a service limit of 9/s: nothing refused, every lookup passed', async () => {
  // Each process alone would send 3/s, 18/s together: twice what the service allows. Shared, they
  // send 3/s in all, a third of it, so even a server stalled by a busy machine sees no bunch.
  const dir = tempDir('dts-rate-shared-');
  const before = limited.requests.length;
  const results = await Promise.all([0, 1, 2, 3, 4, 5].map((p) =>
    runProcess(process.execPath, [runner, limited.url, '3', ...JOBS.slice(p * 3, p * 3 + 3)], { env: env(dir), timeoutMs: 120_000 })));
  for (const r of results) {
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ passed: 3, failed: [] });
    expect(r.status).toBe(0);
  }
  const seen = limited.requests.slice(before);
  expect(seen.filter((e) => e.outcome === 'RequestLimitExceeded')).toEqual([]);
  expect(seen).toHaveLength(18);
  expect(sharedState(dir)?.cap?.rate).toBe(3);
}, 120_000 + SLACK_MS.childProcess);

test(`gates as Terraform starts them draw from the folder ${RATE_LIMIT_ENV.DIR} names, and all pass`, async () => {
  const dir = tempDir('dts-rate-gates-');
  const results = await Promise.all(JOBS.slice(0, 5).map((job) =>
    runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
      env: env(dir, { DTS_SYNC_CHECK_JOB_ID: job, DTS_SYNC_CHECK_REGION: 'ap-guangzhou', DTS_SYNC_CHECK_ENDPOINT: open.url }),
      timeoutMs: 60_000,
    })));
  for (const r of results) {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
  // Every gate recorded its send in the one shared state.
  expect(sharedState(dir)?.sent).toHaveLength(5);
});

test(`a gate given ${RATE_LIMIT_ENV.SHARED}=yes exits 2, naming the variable, and sends nothing`, async () => {
  const dir = tempDir('dts-rate-bad-');
  const before = open.requests.length;
  const r = await runProcess(process.execPath, [lookupScriptPath(), 'gate'], {
    env: env(dir, { DTS_SYNC_CHECK_JOB_ID: JOBS[0], DTS_SYNC_CHECK_REGION: 'ap-guangzhou', DTS_SYNC_CHECK_ENDPOINT: open.url, [RATE_LIMIT_ENV.SHARED]: 'yes' }),
    timeoutMs: 60_000,
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`${RATE_LIMIT_ENV.SHARED} must be true or false (got "yes")`);
  expect(open.requests.length).toBe(before);
});
