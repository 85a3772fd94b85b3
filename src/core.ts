/**
 * The one file that names the CDK for Terraform core package and its null provider bindings.
 * Everything else imports the core from here, so the CDK Terrain (`cdktn`) package can be built
 * from the same source by swapping this file alone.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export {
  Annotations,
  AssetType,
  DataResource,
  Fn,
  TerraformAsset,
  TerraformResource,
  TerraformStack,
  Token,
} from 'cdktf';
export type { ITerraformDependable, LocalExecProvisioner } from 'cdktf';

/** The hashicorp/null bindings of this core (`null_resource` and the `null` provider). */
export type NullBindings = typeof import('@cdktf/provider-null');

/**
 * `@cdktf/provider-null`, loaded when a `null_resource` gate is made, and only then: a stack
 * whose gates are `terraform_data` needs no null provider bindings installed.
 */
export function nullBindings(): NullBindings {
  return require('@cdktf/provider-null') as NullBindings;
}
