/**
 * One stack with a gate of each kind, checked at apply time only (no lookup at synthesis).
 * same-output.test.ts synthesizes it with the cdktf build (in a child process) and with the
 * cdktn build, and compares. Plain JavaScript so both can load it as is.
 */
exports.synthesize = function synthesize(core, lib) {
  const { Testing, TerraformStack } = core;
  const stack = new TerraformStack(Testing.app(), 'stack');
  for (const [id, gateResourceType] of [['null-gate', lib.GateResourceType.NULL_RESOURCE], ['data-gate', lib.GateResourceType.TERRAFORM_DATA]]) {
    new lib.SyncCheckResult(stack, id, { jobId: 'sync-pass0001', region: 'ap-guangzhou', enforcement: lib.Enforcement.APPLY_ONLY, gateResourceType });
  }
  const { resource, provider, terraform } = JSON.parse(Testing.synth(stack));
  return { resource, provider, terraform };
};
