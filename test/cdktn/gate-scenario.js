/**
 * One stack with a gate of each kind, checked at apply time only (no lookup at synthesis).
 * same-output.test.ts synthesizes it with the cdktf build (in a child process) and with the
 * cdktn build, and compares. Plain JavaScript so both can load it as is.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

exports.synthesize = function synthesize(core, lib) {
  // Testing.app() would leave its outdir behind: this one is removed once synthesized.
  const outdir = mkdtempSync(path.join(tmpdir(), 'dts-gate-scenario-'));
  try {
    return build(core, lib, core.Testing.app({ outdir }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

function build(core, lib, app) {
  const { Testing, TerraformStack } = core;
  const stack = new TerraformStack(app, 'stack');
  for (const [id, gateResourceType] of [['null-gate', lib.GateResourceType.NULL_RESOURCE], ['data-gate', lib.GateResourceType.TERRAFORM_DATA]]) {
    new lib.SyncCheckResult(stack, id, { jobId: 'sync-pass0001', region: 'ap-guangzhou', enforcement: lib.Enforcement.APPLY_ONLY, gateResourceType });
  }
  const { resource, provider, terraform } = JSON.parse(Testing.synth(stack));
  return { resource, provider, terraform };
}
