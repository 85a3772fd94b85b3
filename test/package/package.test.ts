/**
 * What `npm pack` ships: only what a user needs (the compiled library and its declarations, the
 * bundled scripts, the jsii assembly, the docs, the licence, package.json and the bundled undici),
 * whatever else lies in the working tree; and scripts that tell the version of the package they
 * ship in.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLI_SCRIPT_NAME, EMULATOR_WORKER_SCRIPT_NAME, LOOKUP_SCRIPT_NAME } from '../../src/bundles';
import { runProcess } from '../support/run-process';
import { tempDir } from '../support/temp';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLES = [CLI_SCRIPT_NAME, LOOKUP_SCRIPT_NAME, EMULATOR_WORKER_SCRIPT_NAME];

/** Every class of file the package may hold; each must be there. */
const ALLOWED: ReadonlyArray<readonly [string, RegExp]> = [
  ['package.json', /^package\.json$/],
  ['the README', /^README\.md$/],
  ['the licence', /^LICENSE$/],
  ['the API reference', /^API\.md$/],
  ['the jsii assembly', /^\.jsii$/],
  ['the bundled scripts', new RegExp(`^lib/bin/(${BUNDLES.map((b) => b.replace(/\./g, '\\.')).join('|')})$`)],
  ['the compiled library', /^lib\/(?!bin\/)[\w/-]+\.js$/],
  ['its declarations', /^lib\/[\w/-]+\.d\.ts$/],
  ['the bundled undici', /^node_modules\/undici\//],
];

/** Files a user needs by name: the entry points of package.json. */
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'lib/index.js', 'lib/index.d.ts', ...BUNDLES.map((b) => `lib/bin/${b}`)];

function classify(files: readonly string[]): { extra: string[]; missingClasses: string[]; missingFiles: string[] } {
  const extra = files.filter((f) => !ALLOWED.some(([, re]) => re.test(f)));
  const missingClasses = ALLOWED.filter(([, re]) => !files.some((f) => re.test(f))).map(([name]) => name);
  const missingFiles = REQUIRED.filter((f) => !files.includes(f));
  return { extra, missingClasses, missingFiles };
}

async function packList(cwd: string): Promise<string[]> {
  const r = await runProcess('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed (${r.status}): ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((f) => f.path).sort();
}

/** Every file of the working tree, relative, without .git and node_modules. */
function worktreeFiles(dir = ROOT, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((name) => {
    if (rel === '' && (name === '.git' || name === 'node_modules')) return [];
    const r = rel ? `${rel}/${name}` : name;
    return statSync(path.join(dir, r)).isDirectory() ? worktreeFiles(dir, r) : [r];
  });
}

/** What the builds and commands of this repository write, whether or not they have run here. */
function generatedFiles(): string[] {
  const sources = worktreeFiles().filter((f) => /^src\/.+\.ts$/.test(f) && !f.endsWith('.d.ts'));
  return [
    ...sources.flatMap((f) => [f.replace(/^src\//, 'lib/').replace(/\.ts$/, '.js'), f.replace(/^src\//, 'lib/').replace(/\.ts$/, '.d.ts')]),
    ...BUNDLES.map((b) => `lib/bin/${b}`),
    '.jsii', 'tsconfig.tsbuildinfo', // npx projen compile
    'dist/js/cdktf-dts-sync-check@0.0.0.jsii.tgz', // npx projen package
    'examples/app/cdktf.out/manifest.json', 'examples/app/cdktf.out/stacks/dr-cutover/cdk.tf.json', // npm run demo
    'examples/app/cdktf.out/stacks/dr-cutover/.terraform/terraform.tfstate', 'examples/app/cdktf.out/stacks/dr-cutover/terraform.tfstate',
    'examples/app/terraform.dr-cutover.tfstate', // cdktf deploy in examples/app
    'cdktf.out/manifest.json', // a test's `new App()` without an outdir
    'bench/out/cold.json', 'coverage/lcov.info', 'test-reports/junit.xml', // benchmarks, jest
  ];
}

describe('npm pack', () => {
  test('ships every class of file a user needs and nothing else, whatever the working tree holds', async () => {
    // A copy of the tree with every file the builds and commands may add: npm decides from the
    // paths and from package.json and .npmignore, which are copied as they are.
    const stage = tempDir('dts-package-stage-');
    for (const f of new Set([...worktreeFiles(), ...generatedFiles()])) {
      mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
      writeFileSync(path.join(stage, f), '');
    }
    for (const f of ['package.json', '.npmignore']) cpSync(path.join(ROOT, f), path.join(stage, f));
    cpSync(path.join(ROOT, 'node_modules', 'undici'), path.join(stage, 'node_modules', 'undici'), { recursive: true });

    const files = await packList(stage);
    expect(classify(files)).toEqual({ extra: [], missingClasses: [], missingFiles: [] });
  }, 120_000);

  test('the bin, main and types of package.json are files the package ships', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; main: string; types: string };
    const entries = [...Object.values(pkg.bin), pkg.main, pkg.types];
    expect(entries.filter((e) => !REQUIRED.includes(e))).toEqual([]);
  });
});

describe('the packed scripts', () => {
  let unpacked: string;
  let shipped: string[];

  beforeAll(async () => {
    for (const b of BUNDLES) {
      if (!statSync(path.join(ROOT, 'lib', 'bin', b), { throwIfNoEntry: false })) throw new Error(`lib/bin/${b} is missing: run "npx projen bundle" (the test task does it before jest)`);
    }
    const out = tempDir('dts-package-');
    const packed = await runProcess('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, env: { ...process.env, npm_config_loglevel: 'error' } });
    if (packed.status !== 0) throw new Error(`npm pack failed (${packed.status}): ${packed.stderr}`);
    const [pack] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    shipped = pack.files.map((f) => f.path);
    const untar = await runProcess('tar', ['-xzf', path.join(out, pack.filename), '-C', out]);
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    unpacked = path.join(out, 'package');
  }, 120_000);

  test('this working tree packs nothing outside the allowed classes', () => {
    expect(classify(shipped).extra).toEqual([]);
  });

  test.each(BUNDLES.filter((b) => b !== EMULATOR_WORKER_SCRIPT_NAME))('%s --version prints the version in the package.json it ships with', async (bundle) => {
    // A release sets the version after the bundles were built: change it in the packed copy.
    const pkgFile = path.join(unpacked, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
    writeFileSync(pkgFile, JSON.stringify({ ...pkg, version: '7.6.5-packed.4' }, null, 2));
    const r = await runProcess(process.execPath, [path.join(unpacked, 'lib', 'bin', bundle), '--version'], { env: { PATH: process.env.PATH } });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '7.6.5-packed.4\n', stderr: '' });
  });

  test('the packed emulator worker runs on its own: it listens, answers, logs and closes', async () => {
    // What startEmulator does with it (src/emulator/worker.ts), from a process that has nothing else of the package.
    const script = `
      const { Worker, MessageChannel, receiveMessageOnPort } = require('node:worker_threads');
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(process.argv[1], { workerData: { config: {}, log: port2 }, transferList: [port2] });
      w.on('message', async (m) => {
        if (m.type === 'listening') {
          const res = await fetch(m.url, { method: 'POST', body: '{}' });
          const entry = receiveMessageOnPort(port1);
          process.stdout.write(res.status + ' ' + (entry && entry.message.outcome) + '\\n');
          w.postMessage({ type: 'close' });
        } else if (m.type === 'closed') {
          await w.terminate();
          port1.close();
        }
      });`;
    const r = await runProcess(process.execPath, ['-e', script, path.join(unpacked, 'lib', 'bin', EMULATOR_WORKER_SCRIPT_NAME)], { cwd: unpacked, env: { PATH: process.env.PATH } });
    // An unsigned request: answered with an API error envelope (HTTP 200) and logged with its outcome.
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: expect.stringMatching(/^200 [A-Z]\w+(\.\w+)?\n$/), stderr: '' });
  });

  test('a copy of the lookup script outside any package (the gate asset) prints the version it was built from', async () => {
    const dir = path.join(tempDir('dts-asset-copy-'), 'assets', 'lookup', 'hash');
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(unpacked, 'lib', 'bin', LOOKUP_SCRIPT_NAME), path.join(dir, LOOKUP_SCRIPT_NAME));
    const built = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await runProcess(process.execPath, [path.join(dir, LOOKUP_SCRIPT_NAME), '--version'], { env: { PATH: process.env.PATH } });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${built}\n` });
  });
});
