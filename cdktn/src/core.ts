/**
 * The CDK Terrain (`cdktn`) variant of `src/core.ts`: in the `cdktn-dts-sync-check` package this
 * file takes the place of `src/core.ts` (see cdktn/README.md). It exports the same names; only
 * where they come from differs. test/cdktn/overlay.test.ts keeps the two export lists equal.
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
} from 'cdktn';
export type { IAspect, IStackSynthesizer, ISynthesisSession, ITerraformDependable, LocalExecProvisioner, TerraformResourceConfig } from 'cdktn';

/** The hashicorp/null bindings of this core (`null_resource` and the `null` provider). */
export type NullBindings = typeof import('./null-binding');

/** Where the null bindings come from on this core: built in, so nothing needs installing. */
export const NULL_BINDINGS_PACKAGE = 'cdktn-dts-sync-check (built-in binding)';

/**
 * The built-in binding of hashicorp/null: `@cdktf/provider-null` extends cdktf's classes and
 * breaks a cdktn app, and no cdktn build of it is published. Loaded lazily, like the cdktf
 * variant, so a stack whose gates are `terraform_data` never loads it.
 */
export function nullBindings(): NullBindings {
  return require('./null-binding') as NullBindings;
}
