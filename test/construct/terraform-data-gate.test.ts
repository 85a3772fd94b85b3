/**
 * The terraform_data gate is a plain TerraformResource: the same JSON (and HCL) as cdktf's
 * `DataResource`, without the `terraform version` child process `DataResource` runs per instance
 * when the stack is validated.
 */
import { DataResource, TerraformStack, Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { stubbed, testApp } from './support';
import { GateResourceType, SyncCheckResult } from '../../src';

// Count child processes without changing what they do (cdktf requires 'child_process').
jest.mock('child_process', () => {
  const actual = jest.requireActual('child_process');
  return { ...actual, execSync: jest.fn(actual.execSync), spawnSync: jest.fn(actual.spawnSync) };
});
// eslint-disable-next-line import/order
import * as childProcess from 'child_process';

const JOBS = ['sync-data0001', 'sync-data0002', 'sync-data0003'];

function stackOfGates(): TerraformStack {
  const stack = new TerraformStack(testApp(stubbed(Object.fromEntries(JOBS.map((j) => [j, 'passed'])))), 'stack');
  for (const jobId of JOBS) new SyncCheckResult(stack, jobId, { jobId, region: 'ap-guangzhou', gateResourceType: GateResourceType.TERRAFORM_DATA });
  return stack;
}

/** The same resources, as cdktf's DataResource would write them from the gates' own values. */
function asDataResources(gates: Record<string, any>): TerraformStack {
  const stack = new TerraformStack(testApp(), 'stack');
  for (const [id, gate] of Object.entries(gates)) {
    const r = new DataResource(stack, `control-${id}`, { triggersReplace: gate.triggers_replace, provisioners: [{ type: 'local-exec', ...gate.provisioner[0]['local-exec'] }] });
    r.overrideLogicalId(id);
  }
  return stack;
}

test('the gate synthesizes exactly as a DataResource with the same triggers and provisioner', () => {
  const ours = JSON.parse(Testing.synth(stackOfGates())).resource.terraform_data as Record<string, any>;
  expect(Object.keys(ours)).toHaveLength(JOBS.length);
  expect(Object.values(ours)[0].triggers_replace).toMatchObject({ job_id: JOBS[0], checked_at: '${timestamp()}' });
  const control = JSON.parse(Testing.synth(asDataResources(ours))).resource.terraform_data;
  expect(ours).toEqual(control);
});

test('its HCL output matches the DataResource\'s too (line for line; the control\'s keys come sorted from JSON)', () => {
  const oursJson = JSON.parse(Testing.synth(stackOfGates())).resource.terraform_data as Record<string, any>;
  const strip = (hcl: string) => hcl.replace(/^\s*#.*$/gm, '').replace(/^.*"dts-sync-check-lookup-script".*$/gm, '');
  const ours = Testing.synthHcl(stackOfGates());
  expect(ours).toMatch(/resource "terraform_data"/);
  expect(ours).toMatch(/triggers_replace = \{/);
  const resources = (hcl: string) =>
    strip(hcl).split(/\n(?=resource )/).filter((b) => b.startsWith('resource "terraform_data"')).map((b) => b.split('\n').map((l) => l.trim()).sort());
  expect(resources(ours)).toEqual(resources(Testing.synthHcl(asDataResources(oursJson))));
});

test('validating a stack of terraform_data gates starts no process, where DataResources start one each', () => {
  const processes = () => jest.mocked(childProcess.execSync).mock.calls.length + jest.mocked(childProcess.spawnSync).mock.calls.length;
  const ours = stackOfGates();
  const gates = JSON.parse(Testing.synth(ours)).resource.terraform_data;
  const before = processes();
  Testing.synth(ours, true);
  expect(processes() - before).toBe(0);

  // The control shows the counter sees DataResource's `terraform version` runs.
  const control = asDataResources(gates);
  const beforeControl = processes();
  Testing.synth(control, true);
  expect(processes() - beforeControl).toBe(JOBS.length);
});
