/**
 * Moving an app from cdktf-dts-sync-check to cdktn-dts-sync-check changes almost nothing Terraform
 * sees: the same stack synthesizes the same gates (addresses, triggers, provisioners) and the same
 * null provider with either package. The one difference is the lookup script's asset hash: cdktn
 * hashes assets differently, so the `script` trigger changes and each gate runs once more on the
 * first apply after the move. The cdktf side runs in a child process on the real cdktf and
 * `@cdktf/provider-null`, outside this jest project's mapping.
 */
import * as path from 'node:path';
import * as cdktn from 'cdktn';
import * as lib from '../../src';
import { runProcess } from '../support/run-process';

const ROOT = path.resolve(__dirname, '..', '..');
const SCENARIO = path.join(__dirname, 'gate-scenario.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthesize } = require(SCENARIO) as { synthesize: (core: unknown, library: unknown) => Record<string, any> };

/** The lookup script's asset hash, the one value the two cores compute differently. */
function withoutScriptHash(synthesized: Record<string, any>): Record<string, any> {
  const hash = (Object.values(synthesized.resource.null_resource)[0] as any).triggers.script as string;
  expect(hash).toMatch(/^[0-9A-F]{32}$/);
  return JSON.parse(JSON.stringify(synthesized).split(hash).join('<script hash>'));
}

test('a stack with a null_resource and a terraform_data gate synthesizes the same on cdktf and on cdktn', async () => {
  const script = `const s = require(${JSON.stringify(SCENARIO)}).synthesize(require('cdktf'), require('./src')); process.stdout.write(JSON.stringify(s));`;
  const r = await runProcess(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
  });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  const onCdktf = JSON.parse(r.stdout);
  expect(Object.keys(onCdktf.resource).sort()).toEqual(['null_resource', 'terraform_data']);
  expect(onCdktf.provider).toEqual({ null: [{}] });
  expect(withoutScriptHash(synthesize(cdktn, lib))).toEqual(withoutScriptHash(onCdktf));
});
