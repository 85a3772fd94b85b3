/**
 * The cdktn package's package.json, from the root one (cdktn/package.ts): the cdktn peers instead of
 * the cdktf ones, everything a user installs or runs otherwise the same.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CDKTN_PACKAGE_NAME, CDKTN_PEERS, cdktnManifest, minimumOf } from '../../cdktn/package';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const root = readJson(path.join(ROOT, 'package.json'));
const manifest = cdktnManifest(root, '../../dist');

test('names the cdktn package and CDK Terrain, and takes cdktn and a constructs that cdktn accepts as peers', () => {
  expect(manifest.name).toBe(CDKTN_PACKAGE_NAME);
  expect(manifest.description).toMatch(/^CDK Terrain \(cdktn\) construct that gates/);
  expect(manifest.peerDependencies).toEqual({ cdktn: '^0.24.0', constructs: '>=10.6.0 <10.8.0' });
  expect(manifest.keywords).toContain('cdktn');
});

test('carries no cdktf or @cdktf/* package anywhere', () => {
  const named = ['dependencies', 'peerDependencies', 'peerDependenciesMeta', 'devDependencies'].flatMap((f) => Object.keys(manifest[f] ?? {})).concat(manifest.bundledDependencies ?? []);
  expect(named.filter((n) => n === 'cdktf' || n.startsWith('@cdktf/'))).toEqual([]);
  expect(manifest.keywords).not.toContain('cdktf');
  // The root marks the cdktf null bindings an optional peer; that mark must not come along alone.
  expect(root.peerDependenciesMeta).toHaveProperty(['@cdktf/provider-null']);
  expect(JSON.stringify(manifest)).not.toMatch(/cdktf(?!-dts-sync-check)/);
});

test('is the root package.json in everything else a user installs or runs', () => {
  for (const field of ['version', 'bin', 'main', 'types', 'engines', 'license', 'author', 'repository', 'dependencies', 'bundledDependencies', 'stability']) {
    expect([field, manifest[field]]).toEqual([field, root[field]]);
  }
  expect(manifest.jsii).toEqual({ ...root.jsii, outdir: '../../dist' });
  for (const field of ['scripts', 'jest', 'devEngines', '//']) expect(manifest).not.toHaveProperty([field]);
});

test('the constructs range is the one cdktn itself declares, and the tests run on the lowest version of each peer', () => {
  expect(CDKTN_PEERS.constructs).toBe(readJson(require.resolve('cdktn/package.json')).peerDependencies.constructs);
  for (const [name, range] of Object.entries(CDKTN_PEERS)) {
    expect([name, readJson(require.resolve(`${name}/package.json`)).version]).toEqual([name, minimumOf(range)]);
  }
  expect(manifest.devDependencies).toEqual({ cdktn: '0.24.0', constructs: '10.6.0' });
});

test('refuses a root description it does not know how to turn into the cdktn one', () => {
  expect(() => cdktnManifest({ ...root, description: 'A construct' }, 'dist')).toThrow(/description no longer starts with "CDK for Terraform "/);
});
