import { cdktf, javascript } from 'projen';
import { addCdktnPackage } from './projenrc/cdktn';

const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-dts-sync-check',
  description:
    'CDK for Terraform construct that gates infrastructure on a Tencent Cloud DTS sync-job pre-check: '
    + 'reads the check with a signed lookup, lets code branch on it, and fails synthesis or apply when it has not passed.',
  author: 'cdktf-dts-sync-check maintainers',
  authorAddress: 'maintainers@cdktf-dts-sync-check.invalid',
  repositoryUrl: 'https://github.com/cdktf-dts-sync-check/cdktf-dts-sync-check.git',
  keywords: ['cdktf', 'terraform', 'tencentcloud', 'dts', 'migration', 'disaster-recovery'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  // Versions known to work together on node 20 (see shared/REFERENCE.md section 6).
  cdktfVersion: '^0.21.0',
  constructsVersion: '^10.4.2',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.18.1',

  peerDeps: ['@cdktf/provider-null@^11.0.1'],
  // Dev copies of the peers are pinned here, not each to its peer's minimum: `constructs` must suit
  // cdktn too (projenrc/cdktn.ts adds it and cdktn).
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'cdktf@0.21.0',
    '@cdktf/provider-null@11.0.1',
    'tencentcloud-sdk-nodejs-common@^4.1.0',
    'esbuild@^0.28.0',
    'fast-check@^4.0.0',
    // `cdktf synth` of the example app in tests and the demo (works offline with CHECKPOINT_DISABLE=1).
    'cdktf-cli@0.21.0',
  ],
  // Bundled so the library and the lookup script never depend on what the app happens to install.
  bundledDeps: ['undici@^7.16.0'],

  // Only the npm package: the Python/Java/.NET/Go toolchains' registries are not reachable here.
  github: false,
  release: false,
  depsUpgrade: false,
  docgen: true,

  jestOptions: {
    jestVersion: '^30',
    // Snapshots must fail on change; update them deliberately with `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      setupFiles: ['<rootDir>/test/support/no-ambient-proxy.ts'],
      // The run gets its own temp folder; the run fails when a test leaves a folder or process behind.
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // Each test file shares the request rate limit through a folder of its own (removed after it).
      setupFilesAfterEnv: ['<rootDir>/test/support/rate-limit-dir.ts'],
    },
  },
  tsJestOptions: {
    // Tests are type-checked: ts-jest must not run in transpile-only mode.
    transformOptions: { isolatedModules: false },
  },
  tsconfigDev: {
    compilerOptions: {
      isolatedModules: false,
      // ts-jest type-checks only with a CommonJS module kind (node16 needs isolatedModules) and must emit.
      module: 'commonjs',
      moduleResolution: javascript.TypeScriptModuleResolution.NODE,
      noEmit: false,
      ignoreDeprecations: '6.0', // TypeScript 6 deprecates moduleResolution "node"; ts-jest needs it here
    },
  },
  gitignore: ['/cdktf.out/', '/examples/**/cdktf.out/', '/bench/out/', '/.terraform/', '*.tfstate*', '.terraform.lock.hcl', '/coverage/'],
});

// The lookup script runs where Terraform runs, often without the app's node_modules, so it ships
// as one self-contained file (undici inlined) next to the compiled library, and so does the CLI.
// Two bundles: the gate Terraform starts for every check loads the lookup only (src/bundles.ts).
const bundle = project.addTask('bundle', {
  description: 'Bundle the lookup script and the dts-sync-check CLI, each into one self-contained file under lib/bin/',
  exec: 'esbuild dts-sync-check-lookup=src/lookup/bin.ts dts-sync-check=src/cli/bin.ts --bundle --platform=node --target=node20 --format=cjs --outdir=lib/bin --log-level=warning',
});
// The emulator's worker thread (src/emulator/worker.ts) needs a file a Worker can load, from the
// package and under ts-jest alike.
bundle.exec('esbuild dts-sync-check-emulator-worker=src/emulator/worker-main.ts --bundle --platform=node --target=node20 --format=cjs --outdir=lib/bin --log-level=warning');
project.postCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);
// The README's first command: the example app against the embedded emulator, passing and failing.
const demo = project.addTask('demo', {
  description: 'Run the demo: embedded emulator, example app synthesized against a passing and a failing job, gates run as Terraform would',
  env: { CHECKPOINT_DISABLE: '1' },
});
demo.spawn(bundle);
demo.exec('ts-node --project test/tsconfig.json examples/demo.ts');

// The suite as a shared CI runner sees it: CPU-bound processes beside it, several runs in a row.
project.addTask('test:loaded', {
  description: 'Run the whole test suite with CPU-bound processes beside it (LOAD_PROCS, default 2), LOAD_RUNS times in a row (default 3)',
  exec: 'ts-node --project test/tsconfig.json test/support/loaded.ts',
  receiveArgs: true,
});

// Benchmarks are not part of the test run: they print ratios against baselines measured in the
// same run and record them in bench/RESULTS.md. `bench:smoke` is a short run for CI.
const benchTask = project.addTask('bench', {
  description: 'Run the benchmarks (ratios against baselines measured in the same run); writes bench/RESULTS.md',
  env: { CHECKPOINT_DISABLE: '1' },
});
benchTask.spawn(bundle);
benchTask.exec('ts-node --project test/tsconfig.json bench/run.ts', { receiveArgs: true });
const benchSmoke = project.addTask('bench:smoke', {
  description: 'A short smoke run of every benchmark (no results file)',
  env: { CHECKPOINT_DISABLE: '1' },
});
benchSmoke.spawn(bundle);
benchSmoke.exec('ts-node --project test/tsconfig.json bench/run.ts --smoke');

project.addBins({ 'dts-sync-check': 'lib/bin/dts-sync-check.js' });

// Only null_resource gates load @cdktf/provider-null (src/core.ts); terraform_data gates need nothing.
project.package.addField('peerDependenciesMeta', { '@cdktf/provider-null': { optional: true } });

// The package holds what users run and read, and nothing else. An allow-list, so that a new
// folder (bench/, examples/, .ci/, a demo's cdktf.out) cannot slip in; npm adds package.json,
// README.md, LICENSE and the bundled undici itself. test/package/ checks `npm pack`'s file list.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);

// The same constructs for CDK Terrain: the cdktn-dts-sync-check package, its tests and its build.
addCdktnPackage(project);

project.synth();
