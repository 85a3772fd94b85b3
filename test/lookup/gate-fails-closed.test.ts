/**
 * The bundled script as Terraform's local-exec runs it, against things that go wrong before any
 * answer: it must never exit 0 (a gate reads 0 as "passed").
 */
import { spawnSync } from 'node:child_process';
import { RATE_LIMIT_ENV } from '../../src/dts/limiter';
import { lookupScriptPath } from '../support/scripts';

function gate(env: Record<string, string>) {
  // The run's temp folder and the file's rate-limit folder (test/support/rate-limit-dir.ts) stay,
  // so a child that gets as far as the limiter leaves nothing in the machine's /tmp.
  const clean: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: '/nonexistent-home',
    TMPDIR: process.env.TMPDIR,
    [RATE_LIMIT_ENV.DIR]: process.env[RATE_LIMIT_ENV.DIR],
  };
  return spawnSync(process.execPath, [lookupScriptPath(), 'gate'], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
}

const BASE = {
  DTS_SYNC_CHECK_JOB_ID: 'sync-blj8wnt1',
  DTS_SYNC_CHECK_REGION: 'ap-guangzhou',
  TENCENTCLOUD_SECRET_ID: 'AKIDFAILCLOSED',
  TENCENTCLOUD_SECRET_KEY: 'fail-closed-key',
};

test('a refused connection through retries and backoff ends in exit 4, not 0', () => {
  const r = gate({ ...BASE, DTS_SYNC_CHECK_ENDPOINT: 'http://127.0.0.1:9', DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS: '1', DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS: '2' });
  expect(r.status).toBe(4);
  expect(r.stderr).toMatch(/could not be read, so it is treated as not passed: cannot reach 127\.0\.0\.1:9/);
});

test('a hostile job id in the environment is refused with exit 2 before anything is sent', () => {
  const r = gate({ ...BASE, DTS_SYNC_CHECK_JOB_ID: 'sync-x; rm -rf /', DTS_SYNC_CHECK_ENDPOINT: 'http://127.0.0.1:9' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/must match sync-\[0-9a-z\]\{8\}/);
});

test.each([
  ['DTS_SYNC_CHECK_JOB_ID', /DTS_SYNC_CHECK_JOB_ID is not set/],
  ['DTS_SYNC_CHECK_REGION', /DTS_SYNC_CHECK_REGION \(or TENCENTCLOUD_REGION\) is not set/],
])('without %s the gate exits 2 saying which variable is missing', (name, why) => {
  const env: Record<string, string> = { ...BASE };
  delete env[name];
  const r = gate(env);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(why);
});

test.each([
  ['DTS_SYNC_CHECK_API_VERSION', '2020-01-01', /must be one of auto, 2018-03-30, 2021-12-06/],
  ['DTS_SYNC_CHECK_ENFORCE', 'maybe', /must be true or false/],
  ['DTS_SYNC_CHECK_WAIT_TIMEOUT_SECONDS', 'soon', /must be a number of seconds/],
  ['DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS', '1000', /DTS_SYNC_CHECK_ATTEMPT_TIMEOUT_SECONDS must be a number of seconds greater than 0 and at most 600/],
])('a bad %s is a usage error naming the variable', (name, value, why) => {
  const r = gate({ ...BASE, [name]: value });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(why);
});

test('an http endpoint off loopback is refused before anything is sent', () => {
  const r = gate({ ...BASE, DTS_SYNC_CHECK_ENDPOINT: 'http://dts.example.com' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/plain http is only allowed to loopback/);
});
