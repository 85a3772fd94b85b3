/**
 * `@cdktf/provider-null` is an optional peer dependency: only a null_resource gate loads it.
 * Here the package "is not installed" (every load of it is recorded and fails the way node fails
 * for a missing package), as in an app that uses terraform_data gates only.
 */
import { TerraformStack, Testing } from 'cdktf';
import { stubbed, testApp } from './support';
import { Enforcement, GateResourceType, SyncCheckResult } from '../../src';

const mockLoads: string[] = [];
jest.mock('@cdktf/provider-null', () => {
  mockLoads.push('@cdktf/provider-null');
  const error = new Error("Cannot find module '@cdktf/provider-null' from 'src/core.ts'") as NodeJS.ErrnoException;
  error.code = 'MODULE_NOT_FOUND';
  throw error;
});

const JOB = 'sync-opt00001';

function stack(): TerraformStack {
  return new TerraformStack(testApp(stubbed({ [JOB]: 'passed' })), 'stack');
}

test('a stack of terraform_data gates synthesizes without ever loading the null provider bindings', () => {
  const s = stack();
  new SyncCheckResult(s, 'data', { jobId: JOB, region: 'ap-guangzhou', gateResourceType: GateResourceType.TERRAFORM_DATA });
  new SyncCheckResult(s, 'synth-only', { jobId: JOB, region: 'ap-guangzhou', enforcement: Enforcement.SYNTH_ONLY });
  const parsed = JSON.parse(Testing.synth(s, true));
  expect(Object.keys(parsed.resource.terraform_data)).toHaveLength(1);
  expect(parsed.provider).toBeUndefined();
  expect(mockLoads).toEqual([]);
});

test('a null_resource gate without the package fails at construction naming the package and GateResourceType.TERRAFORM_DATA', () => {
  const s = stack();
  expect(() => new SyncCheckResult(s, 'dr-check', { jobId: JOB, region: 'ap-guangzhou' })).toThrow(
    /^stack\/dr-check: a null_resource gate needs the optional peer dependency @cdktf\/provider-null, which is not installed: install it \(npm install @cdktf\/provider-null\), or set `gateResourceType` to GateResourceType\.TERRAFORM_DATA/,
  );
  expect(mockLoads).toEqual(['@cdktf/provider-null']);
});
