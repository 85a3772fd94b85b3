/**
 * The cdktn package as a CDK Terrain user gets it: a fresh app installs only `cdktn`, `constructs`
 * and the `cdktn-dts-sync-check` tarball, type-checks against them, synthesizes a passing check,
 * fails synthesis on a failing one naming the step, and applies its terraform_data gate with real
 * terraform. Offline and without npm's cache: cdktn and constructs are packed from the project's
 * own node_modules, the package comes from dist/js/, and npm gets an empty cache of its own.
 *
 * Run by `npx projen test:cdktn-package`, which builds the package first.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CREDS, Emulator, emulatorWith, JOBS } from '../../construct/support';
import { runProcess } from '../../support/run-process';
import { tempDir } from '../../support/temp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const TARBALL = path.join(ROOT, 'dist', 'js', `cdktn-dts-sync-check@${VERSION}.jsii.tgz`);
const SLOW_MS = 240_000; // npm and tsc on a shared two-core runner

/** The app a user writes: every parameter from the environment, so one app serves each case. */
const APP_MAIN = `
import { App, DataResource, LocalBackend, TerraformStack } from 'cdktn';
import { Enforcement, GateResourceType, SyncCheckResult } from 'cdktn-dts-sync-check';

const app = new App();
const stack = new TerraformStack(app, process.env.APP_STACK ?? 'stack');
// State beside the stack, so each case keeps its own.
new LocalBackend(stack, { path: 'terraform.tfstate' });
const check = new SyncCheckResult(stack, 'dr-check', {
  jobId: process.env.APP_JOB_ID ?? '',
  region: 'ap-guangzhou',
  gateResourceType: process.env.APP_GATE === 'null_resource' ? GateResourceType.NULL_RESOURCE : GateResourceType.TERRAFORM_DATA,
  enforcement: process.env.APP_ENFORCEMENT === 'apply-only' ? Enforcement.APPLY_ONLY : Enforcement.SYNTH_AND_APPLY,
  pollIntervalSeconds: 1,
});
if (check.hasReport) console.log(\`passed=\${check.passed}\`);
// What the check guards: created only once the gate has passed.
new DataResource(stack, 'dependent', { input: { note: 'created after the gate' }, dependsOn: [check] });
app.synth();
`;

const APP_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    strict: true,
    outDir: 'dist',
    // Node's types from the project: the app installs nothing but the three packages.
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    types: ['node'],
  },
  files: ['main.ts'],
};

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** npm and node as a clean shell runs them: nothing from the npm run that started jest. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, HOME: home, CHECKPOINT_DISABLE: '1', ...extra };
}

/** Where the lookup (at synth and in the gate) finds the emulator, and the credentials it signs with. */
const lookupEnv = () => ({ DTS_SYNC_CHECK_ENDPOINT: emulator.url, TENCENTCLOUD_SECRET_ID: CREDS.secretId, TENCENTCLOUD_SECRET_KEY: CREDS.secretKey });

let emulator: Emulator;
let app: string;
let home: string;

beforeAll(async () => {
  if (!existsSync(TARBALL)) {
    throw new Error(`${TARBALL} is missing: run "npx projen test:cdktn-package", which builds it first`);
  }
  emulator = await emulatorWith(Object.values(JOBS));
  app = tempDir('cdktn-fresh-app-');
  home = tempDir('cdktn-fresh-home-');
  const packs = tempDir('cdktn-fresh-packs-');
  const cache = tempDir('cdktn-fresh-npm-cache-');

  const pack = await runProcess('npm', ['pack', '--ignore-scripts', '--pack-destination', packs, path.join(ROOT, 'node_modules', 'cdktn'), path.join(ROOT, 'node_modules', 'constructs')], {
    cwd: packs,
    env: cleanEnv(),
  });
  expect({ status: pack.status, stderr: pack.stderr }).toMatchObject({ status: 0 });

  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fresh-cdktn-app', version: '1.0.0', private: true }));
  writeFileSync(path.join(app, 'main.ts'), APP_MAIN);
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(APP_TSCONFIG));
  const tarballs = [...readdirSync(packs).map((f) => path.join(packs, f)), TARBALL];
  const install = await runProcess('npm', ['install', '--offline', '--cache', cache, '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], { cwd: app, env: cleanEnv() });
  expect({ status: install.status, stderr: install.stderr }).toMatchObject({ status: 0 });
}, SLOW_MS);

afterAll(async () => {
  await emulator?.close();
});

describe('installing', () => {
  test('the app holds only cdktn, constructs and the package, and nothing of cdktf', () => {
    const dependencies = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies;
    expect(Object.keys(dependencies).sort()).toEqual(['cdktn', 'cdktn-dts-sync-check', 'constructs']);
    const installed = readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(installed.sort()).toEqual(['cdktn', 'cdktn-dts-sync-check', 'constructs']);
  });

  test('the package peers on cdktn and constructs, and its bundled scripts are the cdktf package\'s', () => {
    const pkg = path.join(app, 'node_modules', 'cdktn-dts-sync-check');
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies).toEqual({ cdktn: '^0.24.0', constructs: '>=10.6.0 <10.8.0' });
    expect(JSON.stringify(manifest)).not.toMatch(/cdktf(?!-dts-sync-check)/);
    expect(existsSync(path.join(pkg, 'src'))).toBe(false);
    for (const script of ['dts-sync-check-lookup.js', 'dts-sync-check.js']) {
      expect([script, sha256(path.join(pkg, 'lib', 'bin', script))]).toEqual([script, sha256(path.join(ROOT, 'lib', 'bin', script))]);
    }
  });

  test('the app type-checks against the package and cdktn, declaration files included', async () => {
    const tsc = await runProcess(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, env: cleanEnv() });
    expect({ status: tsc.status, stdout: tsc.stdout }).toEqual({ status: 0, stdout: '' });
  }, SLOW_MS);
});

interface Synth {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stackDir: string;
  readonly config: any;
}

/** `node dist/main.js`, as `cdktn synth` runs the app (cdktn-cli itself needs node 22). */
async function synth(stackName: string, env: Record<string, string>): Promise<Synth> {
  const r = await runProcess(process.execPath, [path.join('dist', 'main.js')], {
    cwd: app,
    env: cleanEnv({ ...lookupEnv(), APP_STACK: stackName, ...env }),
  });
  const stackDir = path.join(app, 'cdktf.out', 'stacks', stackName);
  const file = path.join(stackDir, 'cdk.tf.json');
  return { ...r, stackDir, config: existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined };
}

describe('synthesizing', () => {
  test('a passing check synthesizes, with a terraform_data gate that runs the lookup script', async () => {
    const r = await synth('passing', { APP_JOB_ID: JOBS.passed.jobId });
    expect(r.status).toBe(0);
    // The pass line is on stdout (cdktf-cli labels an app's stderr as errors), and stderr is empty.
    expect(r.stdout).toMatch(/^DTS sync check of job sync-pass0001 in ap-guangzhou passed \(request id \S+\), answered by \w+ \(API [\d-]+\)$/m);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/passed=true/);
    const gates = Object.values(r.config.resource.terraform_data) as any[];
    expect(gates.map((g) => g.provisioner?.[0]?.['local-exec']?.command).filter(Boolean)).toEqual([
      expect.stringMatching(/^node "assets\/[^"]+\/dts-sync-check-lookup\.js" gate$/),
    ]);
  });

  test('a failing check fails synthesis naming the construct, the step and its message', async () => {
    const r = await synth('failing', { APP_JOB_ID: JOBS.failed.jobId });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/job sync-fail0001 in ap-guangzhou has not passed/);
    expect(r.stderr).toMatch(/failing\/dr-check/);
    expect(r.stderr).toMatch(/step 7 检查目标实例是否为空: 目标实例不为空/);
  });

  test('a null_resource gate synthesizes the null provider through the built-in binding', async () => {
    const r = await synth('null-gate', { APP_JOB_ID: JOBS.passed.jobId, APP_GATE: 'null_resource' });
    expect(r.status).toBe(0);
    expect(r.config.terraform.required_providers).toEqual({ null: { source: 'null', version: '3.2.4' } });
    expect(r.config.provider).toEqual({ null: [{}] });
    const gate = Object.values(r.config.resource.null_resource)[0] as any;
    expect(gate.triggers).toMatchObject({ job_id: JOBS.passed.jobId, region: 'ap-guangzhou' });
  });
});

describe('applying with real terraform', () => {
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const available = terraform.status === 0;

  function tf(dir: string, ...args: string[]) {
    // An empty CLI config of our own: the runner's may point at a file that does not exist.
    const cliConfig = path.join(dir, 'empty.terraformrc');
    writeFileSync(cliConfig, '');
    return runProcess('terraform', args, {
      cwd: dir,
      env: cleanEnv({ ...lookupEnv(), TF_IN_AUTOMATION: '1', TF_INPUT: '0', TF_CLI_CONFIG_FILE: cliConfig }),
    });
  }

  test('terraform is on PATH here, or this says plainly that the real apply did not run', () => {
    if (!available) {
      process.stderr.write('NOTE: no terraform binary on PATH: the cdktn app\'s real `terraform apply` did not run (its synthesis was still tested).\n');
      expect(terraform.error).toBeDefined();
      return;
    }
    expect(terraform.stdout).toMatch(/Terraform v\d+\.\d+/);
  });

  if (available) {
    test('the gate passes a passing check and the dependent is created', async () => {
      const r = await synth('apply-passing', { APP_JOB_ID: JOBS.passed.jobId });
      expect(r.status).toBe(0);
      const init = await tf(r.stackDir, 'init', '-no-color');
      expect({ status: init.status, stderr: init.stderr }).toEqual({ status: 0, stderr: '' });
      const apply = await tf(r.stackDir, 'apply', '-auto-approve', '-no-color');
      expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: '' });
      expect(apply.stdout).toMatch(/passed \(request id/);
      expect((await tf(r.stackDir, 'state', 'list')).stdout).toMatch(/terraform_data\.dependent/);
    }, SLOW_MS);

    test('the gate stops the apply on a failing check, naming the step, before the dependent exists', async () => {
      // Checked at apply time only, as when the check fails between plan and apply.
      const r = await synth('apply-failing', { APP_JOB_ID: JOBS.failed.jobId, APP_ENFORCEMENT: 'apply-only' });
      expect(r.status).toBe(0);
      expect((await tf(r.stackDir, 'init', '-no-color')).status).toBe(0);
      const apply = await tf(r.stackDir, 'apply', '-auto-approve', '-no-color');
      expect(apply.status).not.toBe(0);
      expect(apply.stderr + apply.stdout).toMatch(/step 7/);
      expect((await tf(r.stackDir, 'state', 'list')).stdout).not.toMatch(/terraform_data\.dependent/);
    }, SLOW_MS);
  }
});
