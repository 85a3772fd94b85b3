/**
 * The apply-time gate: one Terraform resource per SyncCheckResult whose local-exec provisioner
 * runs the bundled lookup script. Per stack, the script asset and the null provider exist once.
 */
import { Construct } from 'constructs';
import { lookupScriptPath } from './bundles';
import { AssetType, DataResource, Fn, LocalExecProvisioner, nullBindings, TerraformAsset, TerraformResource, TerraformStack } from './core';

/**
 * Which Terraform resource carries the apply-time gate.
 */
export enum GateResourceType {
  /** `null_resource` from the hashicorp/null provider: `@cdktf/provider-null` on cdktf, a built-in binding on cdktn. */
  NULL_RESOURCE = 'null_resource',
  /**
   * The built-in `terraform_data` (Terraform 1.4+): no provider to download, good for
   * air-gapped runners.
   */
  TERRAFORM_DATA = 'terraform_data',
}

export interface GateSpec {
  readonly type: GateResourceType;
  /** Non-secret parameters, passed as the provisioner's environment. */
  readonly environment: Record<string, string>;
  /** Values whose change re-creates the gate and so re-runs the check. */
  readonly triggers: Record<string, string>;
  readonly recheckOnEveryApply: boolean;
}

const SCRIPT_ID = 'dts-sync-check-lookup-script';
const PROVIDER_ID = 'dts-sync-check-null-provider';

export function createGate(scope: Construct, id: string, spec: GateSpec): TerraformResource {
  const script = scriptAsset(scope);
  const triggers: Record<string, string> = { ...spec.triggers, script: script.assetHash };
  // Provisioners run only when their resource is created; a value that differs on every plan
  // re-creates the gate, so the check is re-verified at each apply, not trusted from plan time.
  if (spec.recheckOnEveryApply) triggers.checked_at = Fn.timestamp();
  const provisioner: LocalExecProvisioner = {
    type: 'local-exec',
    // Only our own generated asset path reaches the command line; every user value travels in
    // `environment`, and credentials come from the environment Terraform runs in.
    command: `node "${script.path}" gate`,
    environment: spec.environment,
  };
  if (spec.type === GateResourceType.TERRAFORM_DATA) {
    return new DataResource(scope, id, { triggersReplace: triggers, provisioners: [provisioner] });
  }
  const bindings = nullBindings();
  ensureNullProvider(scope, bindings);
  return new bindings.resource.Resource(scope, id, { triggers, provisioners: [provisioner] });
}

function scriptAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(SCRIPT_ID);
  if (existing) return existing as TerraformAsset;
  return new TerraformAsset(stack, SCRIPT_ID, { path: lookupScriptPath(), type: AssetType.FILE });
}

function ensureNullProvider(scope: Construct, bindings: ReturnType<typeof nullBindings>): void {
  const stack = TerraformStack.of(scope);
  const has = stack.node.findAll().some((c) => c instanceof bindings.provider.NullProvider);
  if (!has) new bindings.provider.NullProvider(stack, PROVIDER_ID);
}
