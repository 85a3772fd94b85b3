/**
 * hashicorp/null for the cdktn package: the `null` provider and `null_resource`, as small classes
 * over the cdktn core. `@cdktf/provider-null` extends cdktf's classes (a cdktn app fails to type
 * check and `app.synth()` crashes on them) and no cdktn build of it is published.
 *
 * Shaped like `@cdktf/provider-null` (`provider.NullProvider`, `resource.Resource`), the
 * contract of `nullBindings()`, and synthesizing the same JSON as its version 11:
 * test/cdktn/null-binding.test.ts compares the two.
 */
import {
  hashMapper,
  hashMapperHcl,
  stringToHclTerraform,
  stringToTerraform,
  TerraformMetaArguments,
  TerraformProvider,
  TerraformProviderGeneratorMetadata,
  TerraformResource,
} from 'cdktn';
import { Construct } from 'constructs';

/** What `required_providers` gets: the same provider and constraint as `@cdktf/provider-null` 11. */
const NULL_PROVIDER: TerraformProviderGeneratorMetadata = {
  providerName: 'null',
  providerVersion: '3.2.4',
  providerVersionConstraint: '~> 3.0',
};

export interface NullProviderConfig {
  /** Alias name of this provider configuration. */
  readonly alias?: string;
}

export class NullProvider extends TerraformProvider {
  public static readonly tfResourceType = 'null';
  private _alias?: string;

  constructor(scope: Construct, id: string, config: NullProviderConfig = {}) {
    super(scope, id, { terraformResourceType: 'null', terraformGeneratorMetadata: NULL_PROVIDER, terraformProviderSource: 'null' });
    this._alias = config.alias;
  }

  public get alias(): string | undefined {
    return this._alias;
  }

  public set alias(value: string | undefined) {
    this._alias = value;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { alias: stringToTerraform(this._alias) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return definedOnly({ alias: { value: stringToHclTerraform(this._alias), isBlock: false, type: 'simple', storageClassType: 'string' } });
  }
}

export interface NullResourceConfig extends TerraformMetaArguments {
  /** Values whose change replaces the resource (and so runs its provisioners again). */
  readonly triggers?: Record<string, string>;
}

export class NullResource extends TerraformResource {
  public static readonly tfResourceType = 'null_resource';
  private readonly _triggers?: Record<string, string>;

  constructor(scope: Construct, id: string, config: NullResourceConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'null_resource',
      terraformGeneratorMetadata: NULL_PROVIDER,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this._triggers = config.triggers;
  }

  /** The random id Terraform gives the resource. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers: hashMapper(stringToTerraform)(this._triggers) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return definedOnly({
      triggers: { value: hashMapperHcl(stringToHclTerraform)(this._triggers), isBlock: false, type: 'map', storageClassType: 'stringMap' },
    });
  }
}

/** An attribute as HCL synthesis takes it. */
interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: string;
  readonly storageClassType: string;
}

/** HCL synthesis leaves out attributes that were not set, as the generated bindings do. */
function definedOnly(attrs: Record<string, HclAttribute>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.value !== undefined));
}

export const provider = { NullProvider };
export const resource = { Resource: NullResource };
