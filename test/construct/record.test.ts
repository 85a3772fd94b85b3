/**
 * `stacks/<stack>/dts-sync-check.json`: a record of every synth-time verdict next to the stack
 * output, written by real synthesis (app.synth, full synthesis) against the emulator, also when
 * synthesis fails, with no secret in it; its fields are exactly the README's documented schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, DataResource, TerraformStack } from 'cdktf';
import { CREDS, Emulator, emulatorWith, fullSynthStack, JOBS, pointEnvAt, stubbed, testApp } from './support';
import { Enforcement, GateResourceType, SyncCheckResult } from '../../src';
import { CheckRecord, StackRecord } from '../../src/record';
import { tempDir } from '../support/temp';

const CANARY_ID = 'AKIDRECORDCANARY0042';
const CANARY_KEY = 'RECORD-CANARY-SECRET-KEY-do-not-leak';
const REASON = 'DBA-1234: leftover schema on the target, dropped in the window';
const inAMonth = () => new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();

let emulator: Emulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await emulatorWith(Object.values(JOBS), { credentials: [CREDS, { secretId: CANARY_ID, secretKey: CANARY_KEY }] });
  restoreEnv = pointEnvAt(emulator.url);
});

afterAll(async () => {
  restoreEnv();
  await emulator.close();
});

function readRecord(stackDir: string): StackRecord {
  return JSON.parse(readFileSync(path.join(stackDir, 'dts-sync-check.json'), 'utf8')) as StackRecord;
}

const byPath = (record: StackRecord) => Object.fromEntries(record.checks.map((c) => [c.constructPath, c])) as Record<string, CheckRecord>;

test('app.synth() records every check of every stack: verdict, decision, steps, request id, acknowledgement', () => {
  const app = testApp();
  const one = new TerraformStack(app, 'one');
  const two = new TerraformStack(app, 'two');
  const passed = new SyncCheckResult(one, 'passed', { jobId: JOBS.passed.jobId, region: 'ap-guangzhou' });
  new SyncCheckResult(one, 'acknowledged', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou', acknowledge: { reason: REASON, expires: inAMonth() } });
  new SyncCheckResult(one, 'report-only', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou', enforcement: Enforcement.REPORT_ONLY, gateResourceType: GateResourceType.TERRAFORM_DATA });
  new SyncCheckResult(two, 'apply-only', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou', enforcement: Enforcement.APPLY_ONLY });
  const job = new DataResource(two, 'job', { input: { id: 'sync-later001' } });
  new SyncCheckResult(two, 'token', { jobId: job.getStringAttribute('output'), region: 'ap-guangzhou' });
  new TerraformStack(app, 'no-checks');
  app.synth();

  const first = readRecord(path.join(app.outdir, 'stacks', 'one'));
  expect(first).toMatchObject({ schema: 'cdktf-dts-sync-check/record', version: 1, stack: 'one', synthesis: 'completed' });
  expect(first.checks.map((c) => c.constructPath)).toEqual(['one/acknowledged', 'one/passed', 'one/report-only']);
  const checks = byPath(first);
  expect(checks['one/passed']).toMatchObject({
    jobId: JOBS.passed.jobId,
    region: 'ap-guangzhou',
    enforcement: 'synth-and-apply',
    requestedApiVersion: 'auto',
    gate: { resourceType: 'null_resource', address: `null_resource.${passed.gate!.friendlyUniqueId}`, recheckOnEveryApply: true },
    synthLookup: 'looked-up',
    verdict: 'passed',
    decision: 'passed',
    waivedBy: null,
    status: 'finished',
    phase: 'finished',
    requestId: passed.report.requestId,
    failedSteps: [],
    error: null,
    acknowledgement: null,
    stubbed: false,
  });
  expect(checks['one/acknowledged']).toMatchObject({
    verdict: 'failed',
    decision: 'waived',
    waivedBy: 'acknowledgement',
    failedSteps: [expect.objectContaining({ stepNo: 7, name: '检查目标实例是否为空', message: '目标实例不为空' })],
    acknowledgement: { reason: REASON, expires: expect.any(String), expiresAt: expect.any(String), heldAtSynth: true },
  });
  expect(checks['one/acknowledged'].requestId).toMatch(/\S/);
  expect(checks['one/report-only']).toMatchObject({ verdict: 'failed', decision: 'waived', waivedBy: 'report-only', gate: { resourceType: 'terraform_data' } });

  const second = byPath(readRecord(path.join(app.outdir, 'stacks', 'two')));
  expect(second['two/apply-only']).toMatchObject({ synthLookup: 'apply-only', verdict: 'none', decision: 'deferred-to-apply', status: null, requestId: null });
  expect(second['two/token']).toMatchObject({ jobId: '${terraform_data.job.output}', synthLookup: 'token', verdict: 'none', decision: 'deferred-to-apply' });
  expect(second['two/token'].reason).toMatch(/only known at apply time/);
  expect(existsSync(path.join(app.outdir, 'stacks', 'no-checks', 'dts-sync-check.json'))).toBe(false);
});

test('when synthesis fails on a check, the record is written with the failure', () => {
  const app = testApp();
  const stack = new TerraformStack(app, 'stack');
  new SyncCheckResult(stack, 'passed', { jobId: JOBS.passed.jobId, region: 'ap-guangzhou' });
  new SyncCheckResult(stack, 'failed', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou' });
  new SyncCheckResult(stack, 'unknown', { jobId: 'sync-nojob001', region: 'ap-guangzhou', acknowledge: { reason: REASON, expires: inAMonth() } });
  expect(() => app.synth()).toThrow(/step 7/);
  const record = readRecord(path.join(app.outdir, 'stacks', 'stack'));
  expect(record.synthesis).toBe('failed');
  const checks = byPath(record);
  expect(checks['stack/passed'].decision).toBe('passed');
  expect(checks['stack/failed']).toMatchObject({ verdict: 'failed', decision: 'failed', status: 'finished', failedSteps: [expect.objectContaining({ stepNo: 7 })] });
  expect(checks['stack/failed'].reason).toMatch(/step 7/);
  // An acknowledgement does not waive a lookup that failed.
  expect(checks['stack/unknown']).toMatchObject({ verdict: 'lookup-error', decision: 'failed', waivedBy: null, error: { kind: 'api', code: expect.stringMatching(/^ResourceNotFound/) } });
  expect(checks['stack/unknown'].error!.requestId).toMatch(/\S/);
});

test('full synthesis of a single stack writes it too, and a stubbed verdict says so', () => {
  const stack = new TerraformStack(testApp(stubbed({ 'sync-stub0001': 'passed' })), 'stack');
  new SyncCheckResult(stack, 'c', { jobId: 'sync-stub0001', region: 'ap-guangzhou' });
  const [check] = readRecord(fullSynthStack(stack)).checks;
  expect(check).toMatchObject({ synthLookup: 'stubbed', stubbed: true, verdict: 'passed', apiVersion: 'stub' });
});

test('a synthesizer the user sets after the check still writes the record', () => {
  const app = testApp(stubbed({ 'sync-stub0001': 'passed' }));
  const stack = new TerraformStack(app, 'stack');
  new SyncCheckResult(stack, 'c', { jobId: 'sync-stub0001', region: 'ap-guangzhou' });
  const original = stack.synthesizer;
  let used = false;
  stack.synthesizer = {
    synthesize(session) {
      used = true;
      original.synthesize(session);
    },
  };
  app.synth();
  expect(used).toBe(true);
  expect(readRecord(path.join(app.outdir, 'stacks', 'stack')).checks).toHaveLength(1);
});

test('with validations skipped, the record says nothing was decided at synth time', () => {
  const app = new App({ outdir: tempDir('dts-construct-app-'), skipValidation: true });
  const stack = new TerraformStack(app, 'stack');
  new SyncCheckResult(stack, 'c', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou' });
  app.synth();
  const [check] = readRecord(path.join(app.outdir, 'stacks', 'stack')).checks;
  expect(check).toMatchObject({ synthLookup: 'not-looked-up', verdict: 'none', decision: 'not-decided' });
});

test('canary credentials never reach the record, for a check that failed and for a signature the service refused', () => {
  const restore = pointEnvAt(emulator.url, { secretId: CANARY_ID, secretKey: CANARY_KEY });
  try {
    process.env.TENCENTCLOUD_SESSION_TOKEN = 'RECORD-CANARY-TOKEN';
    const app = testApp();
    const stack = new TerraformStack(app, 'stack');
    new SyncCheckResult(stack, 'failed', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou', enforcement: Enforcement.REPORT_ONLY });
    expect(() => app.synth()).not.toThrow();
    process.env.TENCENTCLOUD_SECRET_KEY = `${CANARY_KEY}-wrong`;
    const refused = testApp();
    const stack2 = new TerraformStack(refused, 'stack');
    new SyncCheckResult(stack2, 'refused', { jobId: JOBS.passed.jobId, region: 'ap-guangzhou', enforcement: Enforcement.REPORT_ONLY });
    refused.synth();
    const texts = [app, refused].map((a) => readFileSync(path.join(a.outdir, 'stacks', 'stack', 'dts-sync-check.json'), 'utf8'));
    expect(JSON.parse(texts[1]).checks[0]).toMatchObject({ verdict: 'lookup-error', error: { code: expect.stringMatching(/^AuthFailure/) } });
    for (const text of texts) {
      for (const canary of [CANARY_ID, CANARY_KEY, 'RECORD-CANARY-TOKEN']) expect(text).not.toContain(canary);
    }
  } finally {
    delete process.env.TENCENTCLOUD_SESSION_TOKEN;
    restore();
    pointEnvAt(emulator.url);
  }
});

test('the record\'s fields are exactly the ones the README documents', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const table = /<!-- record-schema:start -->([\s\S]*?)<!-- record-schema:end -->/.exec(readme)?.[1] ?? '';
  const documented = [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
  expect(documented.length).toBeGreaterThan(20);
  const stack = new TerraformStack(testApp(stubbed({ 'sync-stub0001': 'failed' })), 'stack');
  new SyncCheckResult(stack, 'c', { jobId: 'sync-stub0001', region: 'ap-guangzhou', enforcement: Enforcement.REPORT_ONLY });
  const record = readRecord(fullSynthStack(stack));
  const written = [...Object.keys(record), ...Object.keys(record.checks[0]).map((k) => `checks[].${k}`)];
  expect([...documented].sort()).toEqual(written.sort());
});
