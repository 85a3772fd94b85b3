/**
 * Assembles cdktn/build/, the folder the `cdktn-dts-sync-check` package is compiled and packed in
 * (`npx projen build:cdktn` runs this, then jsii, jsii-docgen and jsii-pacmak there):
 *
 * - `src/`: the project's `src/`, with the files of `cdktn/src/` laid over it (the same rule the
 *   cdktn jest project's resolver applies: test/cdktn/resolver.js);
 * - `package.json`: the root one, changed as cdktn/package.ts says;
 * - `tsconfig.json`, `LICENSE`, `README.md` (with a note on top), the two bundled scripts under
 *   `lib/bin/` (core-free, the same files as in the cdktf package);
 * - `node_modules/`: the bundled dependencies, copied (npm packs them from there), and the peers,
 *   linked to the project's copies (jsii-docgen reads their assemblies only from under here).
 *
 * Everything here is generated and git-ignored: the sources stay in src/ and cdktn/src/.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cdktnManifest, CDKTN_README_NOTE } from './package';

const ROOT = path.resolve(__dirname, '..');
const OVERLAY = path.join(__dirname, 'src');
export const BUILD_DIR = path.join(__dirname, 'build');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function assemble(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  cpSync(path.join(ROOT, 'src'), path.join(BUILD_DIR, 'src'), { recursive: true });
  for (const file of filesUnder(OVERLAY)) {
    cpSync(file, path.join(BUILD_DIR, 'src', path.relative(OVERLAY, file)));
  }

  const jsiiOutdir = path.relative(BUILD_DIR, path.join(ROOT, root.jsii.outdir));
  const manifest = cdktnManifest(root, jsiiOutdir);
  writeFileSync(path.join(BUILD_DIR, 'package.json'), JSON.stringify(manifest, undefined, 2) + '\n');
  cpSync(path.join(ROOT, 'tsconfig.json'), path.join(BUILD_DIR, 'tsconfig.json'));
  cpSync(path.join(ROOT, 'LICENSE'), path.join(BUILD_DIR, 'LICENSE'));
  writeFileSync(path.join(BUILD_DIR, 'README.md'), CDKTN_README_NOTE + readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

  const bundles = path.join(ROOT, 'lib', 'bin');
  if (!existsSync(bundles)) throw new Error(`${bundles} is missing: run "npx projen bundle" first`);
  cpSync(bundles, path.join(BUILD_DIR, 'lib', 'bin'), { recursive: true });

  for (const dep of (root.bundledDependencies ?? []) as string[]) {
    cpSync(path.join(ROOT, 'node_modules', dep), path.join(BUILD_DIR, 'node_modules', dep), { recursive: true, dereference: true });
  }
  for (const peer of Object.keys(manifest.peerDependencies)) {
    const link = path.join(BUILD_DIR, 'node_modules', peer);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', peer), link, 'dir');
  }
}

assemble();
