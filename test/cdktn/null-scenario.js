/**
 * One stack that uses every part of the hashicorp/null bindings the gate uses, or a user may
 * reach through `SyncCheckResult.gate`: two providers (one aliased), `null_resource` with
 * triggers, depends_on, provider and a local-exec provisioner, and a reference to its `id`.
 * null-binding.test.ts builds it with `@cdktf/provider-null` on cdktf (in a child process) and
 * with the built-in binding on cdktn, and compares. Plain JavaScript so both can load it as is.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

exports.synthesize = function synthesize(core, bindings) {
  const { Testing } = core;
  // Testing.app() would leave its outdir behind: this one is removed once synthesized.
  const outdir = mkdtempSync(path.join(tmpdir(), 'dts-null-scenario-'));
  try {
    return build(core, bindings, Testing.app({ outdir }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

function build(core, bindings, app) {
  const { Testing, TerraformStack, TerraformOutput } = core;
  const stack = new TerraformStack(app, 'stack');
  new bindings.provider.NullProvider(stack, 'null');
  const other = new bindings.provider.NullProvider(stack, 'other', { alias: 'other' });
  const first = new bindings.resource.Resource(stack, 'first', { provider: other });
  const gate = new bindings.resource.Resource(stack, 'gate', {
    triggers: { job_id: 'sync-pass0001', checked_at: '${timestamp()}' },
    dependsOn: [first],
    provisioners: [{ type: 'local-exec', command: 'node "script.js" gate', environment: { DTS_SYNC_CHECK_JOB_ID: 'sync-pass0001' } }],
  });
  new TerraformOutput(stack, 'gate_id', { value: gate.id });
  return { json: JSON.parse(Testing.synth(stack)), hcl: Testing.synthHcl(stack) };
}
