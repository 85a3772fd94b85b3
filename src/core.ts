/**
 * The one file that names the CDK for Terraform core package and its null provider bindings.
 * Everything else imports the core from here, so the CDK Terrain (`cdktn`) package can be built
 * from the same source by swapping this file alone.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export {
  Annotations,
  anyToHclTerraform,
  anyToTerraform,
  Aspects,
  AssetType,
  DefaultTokenResolver,
  Fn,
  hashMapper,
  hashMapperHcl,
  StringConcat,
  TerraformAsset,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
export type { IAspect, IStackSynthesizer, ISynthesisSession, ITerraformDependable, LocalExecProvisioner, TerraformResourceConfig } from 'cdktf';

/** The hashicorp/null bindings of this core (`null_resource` and the `null` provider). */
export type NullBindings = typeof import('@cdktf/provider-null');

/** The package `nullBindings()` loads: an optional peer dependency, needed by null_resource gates only. */
export const NULL_BINDINGS_PACKAGE = '@cdktf/provider-null';

/**
 * `@cdktf/provider-null`, loaded when a `null_resource` gate is made, and only then: a stack
 * whose gates are `terraform_data` needs no null provider bindings installed. Throws a plain
 * `Error` saying what to install, or what to use instead, when the package is missing.
 */
export function nullBindings(): NullBindings {
  try {
    return require('@cdktf/provider-null') as NullBindings;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes(NULL_BINDINGS_PACKAGE)) throw e;
    throw new Error(
      `a null_resource gate needs the optional peer dependency ${NULL_BINDINGS_PACKAGE}, which is not installed: `
      + `install it (npm install ${NULL_BINDINGS_PACKAGE}), or set \`gateResourceType\` to GateResourceType.TERRAFORM_DATA, `
      + 'the built-in terraform_data resource, which needs no provider bindings and no provider download',
    );
  }
}
