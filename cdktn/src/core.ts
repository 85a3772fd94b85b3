/**
 * The CDK Terrain (`cdktn`) variant of `src/core.ts`: in the `cdktn-dts-sync-check` package this
 * file takes the place of `src/core.ts` (see cdktn/README.md). It exports the same names; only
 * where they come from differs. test/cdktn/overlay.test.ts keeps the two export lists equal.
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
} from 'cdktn';
export type { ITerraformDependable, LocalExecProvisioner } from 'cdktn';

/** The hashicorp/null bindings of this core (`null_resource` and the `null` provider). */
export type NullBindings = typeof import('./null-binding');

/**
 * The built-in binding of hashicorp/null: `@cdktf/provider-null` extends cdktf's classes and
 * breaks a cdktn app, and no cdktn build of it is published. Loaded lazily, like the cdktf
 * variant, so a stack whose gates are `terraform_data` never loads it.
 */
export function nullBindings(): NullBindings {
  return require('./null-binding') as NullBindings;
}
