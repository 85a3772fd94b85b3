/**
 * The apply-time gate: one Terraform resource per SyncCheckResult whose local-exec provisioner
 * runs the bundled lookup script. Per stack, the script asset exists once; a null_resource gate
 * also needs the stack's one default `null` provider (providers.ts).
 */
import { Construct } from 'constructs';
import { lookupScriptPath } from './bundles';
import {
  anyToHclTerraform,
  anyToTerraform,
  AssetType,
  Fn,
  hashMapper,
  hashMapperHcl,
  LocalExecProvisioner,
  nullBindings,
  TerraformAsset,
  TerraformResource,
  TerraformStack,
} from './core';
import { provideNullProvider } from './providers';

/**
 * Which Terraform resource carries the apply-time gate.
 */
export enum GateResourceType {
  /**
   * `null_resource` from the hashicorp/null provider: on cdktf it needs the optional peer
   * dependency `@cdktf/provider-null` at synth time (cdktn has a built-in binding), and the
   * provider download at `terraform init`.
   */
  NULL_RESOURCE = 'null_resource',
  /**
   * The built-in `terraform_data` (Terraform 1.4+): no provider bindings, no provider download,
   * good for air-gapped runners.
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
    return new TerraformDataGate(scope, id, triggers, [provisioner]);
  }
  let bindings;
  try {
    bindings = nullBindings();
  } catch (e) {
    throw new Error(`${scope.node.path}: ${(e as Error).message}`);
  }
  provideNullProvider(TerraformStack.of(scope), bindings);
  return new bindings.resource.Resource(scope, id, { triggers, provisioners: [provisioner] });
}

/**
 * `terraform_data` as a plain TerraformResource, with the same JSON as cdktf's `DataResource`.
 * `DataResource` adds a validation to each instance that runs `terraform version` in a child
 * process, so a stack of 100 gates spawned 100 processes at synth time; this one spawns none.
 */
class TerraformDataGate extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly triggersReplace: Record<string, string>, provisioners: LocalExecProvisioner[]) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' }, provisioners });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }
}

function scriptAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(SCRIPT_ID);
  if (existing) return existing as TerraformAsset;
  return new TerraformAsset(stack, SCRIPT_ID, { path: lookupScriptPath(), type: AssetType.FILE });
}
