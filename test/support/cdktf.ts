/**
 * cdktf's `Testing` helpers, with output folders that are removed after the test file.
 * `Testing.app()` and `Testing.fullSynth()` make their outdir with `mkdtemp` in the OS temp folder
 * and never remove it (hundreds of `cdktf.outdir.*` folders per run); `fullSynth` makes it before
 * synthesizing, so even a synthesis that throws leaves one behind.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { tempDir } from './temp';

// The module object itself (not an import-star copy), which cdktf's Testing also holds.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const os = require('node:os') as typeof import('node:os');

/** `Testing.app(options)` writing into a folder removed after the test file. */
export function testingApp(options: Parameters<typeof Testing.app>[0] = {}): App {
  return Testing.app({ outdir: tempDir('cdktf.outdir-'), ...options });
}

/**
 * `Testing.fullSynth(stack)`; its outdir is made inside a folder removed after the test file,
 * also when synthesis throws. Returns the outdir, as `Testing.fullSynth` does.
 */
export function fullSynth(stack: TerraformStack): string {
  // Testing.fullSynth takes no outdir and calls os.tmpdir(). Setting TMPDIR would not do: a jest
  // test's process.env is a copy, which node's os module does not read.
  const parent = tempDir('dts-fullsynth-');
  const tmpdir = os.tmpdir;
  os.tmpdir = () => parent;
  try {
    return Testing.fullSynth(stack);
  } finally {
    os.tmpdir = tmpdir;
  }
}
