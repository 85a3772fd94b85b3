/**
 * `npm run demo` minus its bundle step (the test task bundles first; bundling here would rewrite
 * the script other tests are running): the demo script as a process, offline, in a clean outdir.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';

const ROOT = path.join(__dirname, '..', '..');

test('the demo passes on a passing job, fails synthesis and the gate on a failing one, and exits 0', async () => {
  if (!existsSync(path.join(ROOT, 'lib', 'bin', 'dts-sync-check.js'))) {
    throw new Error('the bundled lookup script is missing: run "npx projen bundle" (the test task does it before jest)');
  }
  const outdir = path.join(tempDir('dts-demo-'), 'cdktf.out');
  const env: NodeJS.ProcessEnv = { ...process.env, DTS_DEMO_OUTDIR: outdir };
  // The demo must not need a developer's credentials or proxy; prove it by removing them.
  for (const k of Object.keys(env)) if (/^(TENCENTCLOUD_|DTS_SYNC_CHECK_|https?_proxy$|HTTPS?_PROXY$)/.test(k)) delete env[k];

  const r = await runProcess(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--project', 'test/tsconfig.json', 'examples/demo.ts'], { cwd: ROOT, env });

  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const lines = r.stdout;
  expect(lines).toMatch(/== 1\. The embedded DTS emulator/);
  expect(lines).toMatch(/✓ passed +10 {2}检查实例冷备数据 +校验成功/);
  expect(lines).toMatch(/✓ synthesis succeeded and wrote /);
  expect(lines).toMatch(/✗ step 7 检查目标实例是否为空: 目标实例不为空/);
  expect(lines).toMatch(/✓ synthesis failed, naming step 7/);
  expect(lines).toMatch(/✓ terraform_data\.primary-sync-check_gate_\w+ let the apply go on/);
  expect(lines).toMatch(/✓ terraform_data\.standby-sync-check_gate_\w+ let the apply go on/);
  expect(lines).toMatch(/✓ terraform_data\.primary-sync-check_gate_\w+ stopped the apply with exit 1, naming step 7/);
  expect(lines).toMatch(/== Result: all 6 expectations met in [\d.]+ s/);
  expect(lines).not.toMatch(/NOT AS EXPECTED/);
  expect(existsSync(path.join(outdir, 'stacks', 'dr-cutover', 'cdk.tf.json'))).toBe(true);
}, 120_000);
