import { readFileSync } from 'node:fs';
import { resource as nullResource, provider as nullProvider } from '@cdktf/provider-null';
import { App, DataResource, TerraformStack, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { Construct } from 'constructs';
import { Emulator, emulatorWith, JOBS, pointEnvAt } from './support';
import { ApiVersion, Enforcement, GateResourceType, StepState, SyncCheckResult, SyncCheckResultProps } from '../../src';

// Count runs of the lookup script without changing what they do.
jest.mock('node:child_process', () => {
  const actual = jest.requireActual('node:child_process');
  return { ...actual, spawnSync: jest.fn(actual.spawnSync) };
});
// eslint-disable-next-line import/order
import { spawnSync } from 'node:child_process';
import { fullSynth, testingApp } from '../support/cdktf';

Testing.setupJest();

const WARN = '@cdktf/warn';
const INFO = '@cdktf/info';

let emulator: Emulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await emulatorWith(Object.values(JOBS));
  restoreEnv = pointEnvAt(emulator.url);
});

afterAll(async () => {
  restoreEnv();
  await emulator.close();
});

function stackWith(props: Partial<SyncCheckResultProps> & { jobId: string }, id = 'dr-check') {
  const app = testingApp();
  const stack = new TerraformStack(app, 'stack');
  const check = new SyncCheckResult(stack, id, { region: 'ap-guangzhou', pollIntervalSeconds: 1, ...props });
  return { app, stack, check };
}

function validationErrors(c: Construct): string[] {
  return c.node.findAll().flatMap((n) => n.node.validate());
}

describe('GIVEN a check that passed', () => {
  test('the values are readable in code and no validation fails', () => {
    const { stack, check } = stackWith({ jobId: JOBS.passed.jobId });
    expect(check.hasReport).toBe(true);
    expect(check.passed).toBe(true);
    expect(check.status).toBe('finished');
    expect(check.steps).toHaveLength(10);
    expect(check.steps.every((s) => s.state === StepState.PASSED)).toBe(true);
    expect(check.failedSteps).toEqual([]);
    expect(check.report.requestId).toMatch(/\S/);
    expect(validationErrors(stack)).toEqual([]);
  });

  test('the gate is a null_resource whose local-exec runs the lookup script with parameters only in its environment', () => {
    const { stack } = stackWith({ jobId: JOBS.passed.jobId });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveProvider(nullProvider.NullProvider);
    expect(synthesized).toHaveResourceWithProperties(nullResource.Resource, {
      triggers: expect.objectContaining({ job_id: JOBS.passed.jobId, region: 'ap-guangzhou', checked_at: '${timestamp()}' }),
      provisioner: [
        {
          'local-exec': {
            command: expect.stringMatching(/^node "assets\/[^"]+\/dts-sync-check-lookup\.js" gate$/),
            environment: expect.objectContaining({
              DTS_SYNC_CHECK_JOB_ID: JOBS.passed.jobId,
              DTS_SYNC_CHECK_REGION: 'ap-guangzhou',
              DTS_SYNC_CHECK_API_VERSION: 'auto',
              DTS_SYNC_CHECK_ENFORCE: 'true',
              DTS_SYNC_CHECK_CONSTRUCT_PATH: 'stack/dr-check',
            }),
          },
        },
      ],
    });
    const command = (JSON.parse(synthesized).resource.null_resource as Record<string, any>);
    const local = Object.values(command)[0].provisioner[0]['local-exec'];
    expect(local.command).not.toContain(JOBS.passed.jobId);
    expect(local.environment).not.toHaveProperty('DTS_SYNC_CHECK_ENDPOINT');
  });

  test('a resource that depends on the check depends on its gate', () => {
    const { stack, check } = stackWith({ jobId: JOBS.passed.jobId });
    new DataResource(stack, 'dependent', { input: { x: 1 }, dependsOn: [check] });
    const parsed = JSON.parse(Testing.synth(stack));
    expect(parsed.resource.terraform_data.dependent.depends_on).toEqual([`null_resource.${check.gate!.friendlyUniqueId}`]);
  });

  test('the null provider is added once per stack however many checks there are', () => {
    const app = testingApp();
    const stack = new TerraformStack(app, 'stack');
    new SyncCheckResult(stack, 'a', { jobId: JOBS.passed.jobId, region: 'ap-guangzhou' });
    new SyncCheckResult(stack, 'b', { jobId: JOBS.slow.jobId, region: 'ap-guangzhou', enforcement: Enforcement.APPLY_ONLY });
    const parsed = JSON.parse(Testing.synth(stack));
    expect(Object.keys(parsed.provider.null)).toHaveLength(1);
    expect(Object.keys(parsed.resource.null_resource)).toHaveLength(2);
  });

  test('fullSynth writes the lookup script asset next to the stack', () => {
    const { stack } = stackWith({ jobId: JOBS.passed.jobId });
    const outdir = fullSynth(stack);
    const parsed = JSON.parse(readFileSync(`${outdir}/stacks/stack/cdk.tf.json`, 'utf8'));
    const local = Object.values(parsed.resource.null_resource as Record<string, any>)[0].provisioner[0]['local-exec'];
    const scriptRel = /node "([^"]+)"/.exec(local.command)![1];
    const script = readFileSync(`${outdir}/stacks/stack/${scriptRel}`, 'utf8');
    expect(script).toContain('DTS_SYNC_CHECK_JOB_ID');
  });

  test('the built-in terraform_data gate needs no provider', () => {
    const { stack } = stackWith({ jobId: JOBS.passed.jobId, gateResourceType: GateResourceType.TERRAFORM_DATA });
    const parsed = JSON.parse(Testing.synth(stack));
    expect(parsed.provider).toBeUndefined();
    const gate = Object.values(parsed.resource.terraform_data as Record<string, any>)[0];
    expect(gate.triggers_replace).toMatchObject({ job_id: JOBS.passed.jobId, checked_at: '${timestamp()}' });
    expect(gate.provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_JOB_ID).toBe(JOBS.passed.jobId);
  });

  test('with recheckOnEveryApply false the gate re-runs only when its inputs change', () => {
    const { stack } = stackWith({ jobId: JOBS.passed.jobId, recheckOnEveryApply: false });
    const parsed = JSON.parse(Testing.synth(stack));
    const gate = Object.values(parsed.resource.null_resource as Record<string, any>)[0];
    expect(gate.triggers).not.toHaveProperty('checked_at');
    expect(gate.triggers).toHaveProperty('script');
  });

  test('a finance-region job is looked up like any other', () => {
    const { check } = stackWith({ jobId: JOBS.passedFinance.jobId, region: 'ap-shanghai-fsi' });
    expect(check.passed).toBe(true);
  });
});

describe('GIVEN a check that failed at step 7', () => {
  test('synthesis fails naming the construct path, job, region, status, the step and its message, and the request id', () => {
    const { app, check } = stackWith({ jobId: JOBS.failed.jobId });
    expect(check.passed).toBe(false);
    expect(check.failedSteps.map((s) => s.stepNo)).toEqual([7]);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[stack/dr-check]');
    expect(message).toContain(`job ${JOBS.failed.jobId} in ap-guangzhou has not passed`);
    expect(message).toMatch(/status: finished/);
    expect(message).toMatch(/step 7 检查目标实例是否为空: 目标实例不为空/);
    expect(message).toContain(`request id: ${check.report.requestId}`);
  });

  test('Testing.fullSynth fails too', () => {
    const { stack } = stackWith({ jobId: JOBS.failed.jobId });
    expect(() => fullSynth(stack)).toThrow(/step 7/);
  });

  test('with the 2021-12-06 API the failure carries the solution and help link', () => {
    const { stack, check } = stackWith({ jobId: JOBS.failed.jobId, apiVersion: ApiVersion.V2021_12_06 });
    expect(check.report.apiVersion).toBe('2021-12-06');
    const [error] = validationErrors(stack);
    expect(error).toMatch(/step 7/);
    expect(error).toMatch(/solution: \S+/);
    expect(error).toMatch(/help: \S+/);
  });

  test('report-only enforcement warns instead of failing, and the gate only reports', () => {
    const { stack, check } = stackWith({ jobId: JOBS.failed.jobId, enforcement: Enforcement.REPORT_ONLY });
    expect(validationErrors(stack)).toEqual([]);
    const warnings = check.node.metadata.filter((m) => m.type === WARN).map((m) => String(m.data));
    expect(warnings.some((w) => /report-only: .*step 7/s.test(w))).toBe(true);
    const parsed = JSON.parse(Testing.synth(stack));
    const gate = Object.values(parsed.resource.null_resource as Record<string, any>)[0];
    expect(gate.provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_ENFORCE).toBe('false');
  });

  test('synth-only enforcement fails synthesis and creates no gate', () => {
    const { stack, check } = stackWith({ jobId: JOBS.failed.jobId, enforcement: Enforcement.SYNTH_ONLY });
    expect(validationErrors(stack)).toHaveLength(1);
    expect(check.gate).toBeUndefined();
    expect(() => check.fqn).toThrow(/SYNTH_ONLY/);
  });
});

describe('GIVEN a check that is still running', () => {
  test('the lookup waits, polling, until it passes', () => {
    const { check } = stackWith({ jobId: JOBS.slow.jobId, pollIntervalSeconds: 1, waitTimeoutSeconds: 30 });
    expect(check.passed).toBe(true);
    expect(check.phase).toBe('finished');
  });

  test('a check that does not finish in time fails synthesis saying it has not finished', () => {
    const { stack, check } = stackWith({ jobId: JOBS.forever.jobId, pollIntervalSeconds: 1, waitTimeoutSeconds: 2 });
    const started = Date.now();
    expect(check.passed).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000 + 1_000 + 5_000);
    expect(validationErrors(stack).join('\n')).toMatch(/has not finished after waiting 2 s/);
  });
});

describe('GIVEN a lookup that cannot succeed', () => {
  test('an unknown job fails synthesis with the API error code and request id', () => {
    const { stack, check } = stackWith({ jobId: 'sync-nojob001' });
    expect(check.passed).toBe(false);
    expect(check.hasReport).toBe(false);
    expect(() => check.steps).toThrow(/ResourceNotFound/);
    expect(validationErrors(stack).join('\n')).toMatch(/could not be read, so it is treated as not passed.*\n.*\n\s+error: kind api, code ResourceNotFound\.\S+[\s\S]*request id: \S+/);
  });

  test('missing credentials fail synthesis saying where we looked', () => {
    const restore = pointEnvAt(emulator.url, null);
    try {
      const { stack } = stackWith({ jobId: JOBS.passed.jobId });
      const [error] = validationErrors(stack);
      expect(error).toMatch(/TENCENTCLOUD_SECRET_ID/);
      expect(error).toMatch(/\.tencentcloud\/credentials/);
    } finally {
      restore();
      pointEnvAt(emulator.url);
    }
  });

  test('an unreachable endpoint fails synthesis as a network error', () => {
    const { stack } = stackWith({ jobId: JOBS.passed.jobId, endpoint: 'http://127.0.0.1:9', attemptTimeoutSeconds: 1, waitTimeoutSeconds: 2 });
    expect(validationErrors(stack).join('\n')).toMatch(/kind (network|timeout)/);
  });
});

describe('GIVEN a job id only known at apply time', () => {
  test('there is no synth lookup, an info annotation says so, and reading values throws clearly', () => {
    const app = testingApp();
    const stack = new TerraformStack(app, 'stack');
    const job = new DataResource(stack, 'job', { input: { id: 'sync-later001' } });
    const check = new SyncCheckResult(stack, 'dr-check', { jobId: job.output.toString(), region: 'ap-guangzhou' });
    expect(validationErrors(stack)).toEqual([]);
    expect(check.node.metadata.some((m) => m.type === INFO && /runs at apply time/.test(String(m.data)))).toBe(true);
    expect(check.hasReport).toBe(false);
    expect(() => check.passed).toThrow(/stack\/dr-check: .*cannot be read at synth time.*token/);
    const parsed = JSON.parse(Testing.synth(stack));
    const gate = Object.values(parsed.resource.null_resource as Record<string, any>)[0];
    expect(gate.provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_JOB_ID).toBe('${terraform_data.job.output}');
    expect(gate.provisioner[0]['local-exec'].command).not.toContain('terraform_data.job');
  });

  test('apply-only enforcement never looks up at synth time', async () => {
    await emulator.settle();
    const before = emulator.requests.length;
    const { stack, check } = stackWith({ jobId: JOBS.failed.jobId, enforcement: Enforcement.APPLY_ONLY });
    expect(validationErrors(stack)).toEqual([]);
    expect(check.hasReport).toBe(false);
    expect(() => check.status).toThrow(/APPLY_ONLY/);
    await emulator.settle();
    expect(emulator.requests.length).toBe(before);
  });
});

describe('GIVEN several checks in one app', () => {
  test('they are looked up together in one run of the lookup script', () => {
    const spawn = jest.mocked(spawnSync);
    spawn.mockClear();
    {
      const app = testingApp();
      const one = new TerraformStack(app, 'one');
      const two = new TerraformStack(app, 'two');
      const checks = [
        new SyncCheckResult(one, 'a', { jobId: JOBS.passed.jobId, region: 'ap-guangzhou' }),
        new SyncCheckResult(one, 'b', { jobId: JOBS.failed.jobId, region: 'ap-guangzhou' }),
        new SyncCheckResult(two, 'c', { jobId: JOBS.passedFinance.jobId, region: 'ap-shanghai-fsi' }),
      ];
      expect(checks.map((c) => c.passed)).toEqual([true, false, true]);
      expect(spawn).toHaveBeenCalledTimes(1);
      const [, args] = spawn.mock.calls[0];
      expect(args).toEqual([expect.stringMatching(/dts-sync-check-lookup\.js$/), 'batch']);
    }
  });
});

describe('GIVEN hostile input', () => {
  test.each(['sync-x; rm -rf /', '$(id)', "sync-'quoted'", 'sync-"dq"', 'sync-blj8wnt1\nrm -rf /', '`id`'])(
    'job id %j is rejected at construction naming the construct and the prop',
    (jobId) => {
      const app = new App();
      const stack = new TerraformStack(app, 'stack');
      expect(() => new SyncCheckResult(stack, 'dr-check', { jobId, region: 'ap-guangzhou' })).toThrow(
        /stack\/dr-check: `jobId` must match sync-\[0-9a-z\]\{8\}/,
      );
    },
  );

  test.each(['ap-guangzhou; id', '$(id)', 'ap-guangzhou\n', 'mars-north-1'])('region %j is rejected at construction', (region) => {
    const stack = new TerraformStack(new App(), 'stack');
    expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-blj8wnt1', region })).toThrow(/stack\/dr-check: `region` must be one of/);
  });

  test.each([
    ['http://example.com', /plain http is only allowed to loopback/],
    ['https://user:pass@example.com', /must not contain credentials/],
  ])('endpoint %s is rejected at construction', (endpoint, why) => {
    const stack = new TerraformStack(new App(), 'stack');
    expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', endpoint })).toThrow(why);
  });

  test('a construct id that looks like a Terraform interpolation never reaches the gate environment as one', () => {
    const app = testingApp({ context: { 'dts-sync-check:stub-reports': { 'sync-blj8wnt1': 'passed' } } });
    const stack = new TerraformStack(app, 'stack');
    new SyncCheckResult(stack, 'x${file("/etc/passwd")}', { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou' });
    const synthesized = Testing.synth(stack);
    expect(synthesized).not.toContain('${file(');
    const gate = Object.values(JSON.parse(synthesized).resource.null_resource as Record<string, any>)[0];
    expect(gate.provisioner[0]['local-exec'].environment.DTS_SYNC_CHECK_CONSTRUCT_PATH).toBe('stack/x__file__--etc--passwd___');
  });

  test.each([
    ['apiVersion', '2020-01-01', /`apiVersion` must be one of auto, 2018-03-30, 2021-12-06 \(got "2020-01-01"\)/],
    ['enforcement', 'strict', /`enforcement` must be one of synth-and-apply, synth-only, apply-only, report-only \(got "strict"\)/],
    ['gateResourceType', 'terraform-data', /`gateResourceType` must be one of null_resource, terraform_data \(got "terraform-data"\)/],
  ])('an unknown %s %p from a JavaScript caller is rejected naming the allowed values', (prop, value, why) => {
    const stack = new TerraformStack(new App(), 'stack');
    expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', [prop]: value } as SyncCheckResultProps))
      .toThrow(why);
  });

  test.each([
    ['waitTimeoutSeconds', -1],
    ['pollIntervalSeconds', 0],
    ['attemptTimeoutSeconds', Number.NaN],
    // Above the client's own limits: refused now, not when the gate runs at apply time.
    ['attemptTimeoutSeconds', 1_000],
    ['pollIntervalSeconds', 4_000],
    ['waitTimeoutSeconds', 100_000],
  ])('%s %p is rejected with the prop named', (prop, value) => {
    const stack = new TerraformStack(new App(), 'stack');
    expect(() => new SyncCheckResult(stack, 'dr-check', { jobId: 'sync-blj8wnt1', region: 'ap-guangzhou', [prop]: value })).toThrow(
      new RegExp(`\`${prop}\` must be a number of seconds`),
    );
  });
});

describe('GIVEN a unit test that stubs the check through context', () => {
  test('synthesis needs no network for the stubbed job, and a warning says it is stubbed', async () => {
    await emulator.settle();
    const before = emulator.requests.length;
    const app = testingApp({ context: { 'dts-sync-check:stub-reports': { 'sync-stub0001': 'passed', 'sync-stub0002': 'failed' } } });
    const stack = new TerraformStack(app, 'stack');
    const ok = new SyncCheckResult(stack, 'ok', { jobId: 'sync-stub0001', region: 'ap-guangzhou' });
    const bad = new SyncCheckResult(stack, 'bad', { jobId: 'sync-stub0002', region: 'ap-guangzhou' });
    expect(ok.passed).toBe(true);
    expect(bad.passed).toBe(false);
    expect(validationErrors(stack)).toEqual([expect.stringMatching(/stubbed as failed/)]);
    expect(ok.node.metadata.some((m) => m.type === WARN && /stubbed/.test(String(m.data)))).toBe(true);
    await emulator.settle();
    expect(emulator.requests.length).toBe(before);
  });
});
