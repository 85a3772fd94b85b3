/**
 * The cdktn package's built-in hashicorp/null binding synthesizes what `@cdktf/provider-null` 11
 * synthesizes on cdktf, so a `null_resource` gate means the same to Terraform from both packages.
 * The reference runs in a child process with the real cdktf and `@cdktf/provider-null`, outside
 * this jest project's mapping of `cdktf` to `cdktn`.
 */
import * as path from 'node:path';
import * as cdktn from 'cdktn';
import { provider, resource } from '../../cdktn/src/null-binding';
import { runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';

const ROOT = path.resolve(__dirname, '..', '..');
const SCENARIO = path.join(__dirname, 'null-scenario.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthesize } = require(SCENARIO) as { synthesize: (core: unknown, bindings: unknown) => Synthesized };

interface Synthesized {
  readonly json: Record<string, unknown>;
  readonly hcl: string;
}

let reference: Synthesized;

beforeAll(async () => {
  const script = `const s = require(${JSON.stringify(SCENARIO)}).synthesize(require('cdktf'), require('@cdktf/provider-null')); process.stdout.write(JSON.stringify(s));`;
  const r = await runProcess(process.execPath, ['-e', script], { cwd: ROOT });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  reference = JSON.parse(r.stdout);
});

/** Blank lines and indentation are the core's layout, not the binding's. */
const hclLines = (hcl: string) => hcl.split('\n').map((l) => l.trim()).filter((l) => l !== '');

test('the reference really is @cdktf/provider-null on cdktf, with every part the comparison covers', () => {
  expect(reference.json).toMatchObject({
    provider: { null: [{}, { alias: 'other' }] },
    terraform: { required_providers: { null: { source: 'null' } } },
    resource: { null_resource: { first: { provider: 'null.other' }, gate: { depends_on: ['null_resource.first'], triggers: { job_id: 'sync-pass0001' } } } },
    output: { gate_id: { value: '${null_resource.gate.id}' } },
  });
});

test('the built-in binding on cdktn synthesizes the same JSON', () => {
  expect(synthesize(cdktn, { provider, resource }).json).toEqual(reference.json);
});

test('the built-in binding on cdktn synthesizes the same HCL', () => {
  expect(hclLines(synthesize(cdktn, { provider, resource }).hcl)).toEqual(hclLines(reference.hcl));
});

test('the built-in classes are the cdktn core\'s provider and resource, and name the same Terraform types', () => {
  const stack = new cdktn.TerraformStack(cdktn.Testing.app({ outdir: tempDir('cdktf.outdir-') }), 'stack');
  expect(new provider.NullProvider(stack, 'p')).toBeInstanceOf(cdktn.TerraformProvider);
  expect(new resource.Resource(stack, 'r')).toBeInstanceOf(cdktn.TerraformResource);
  expect([provider.NullProvider.tfResourceType, resource.Resource.tfResourceType]).toEqual(['null', 'null_resource']);
});
