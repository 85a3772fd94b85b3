/**
 * The CDK Terrain (cdktn) package, `cdktn-dts-sync-check`, built from the same source as the cdktf
 * one. jsii binds a library to one core package, so the same source is compiled twice: the cdktf
 * package by the project itself, the cdktn package in cdktn/build/ (src/ with the files of
 * cdktn/src/ laid over it, see cdktn/README.md). This file wires that into projen:
 *
 * - the dev copies of cdktn and of a `constructs` both cores accept;
 * - a second jest project that runs the construct tests on cdktn;
 * - `build:cdktn` (the package, its API.md) and `test:cdktn-package` (a fresh app installs it);
 * - what git and the cdktf package must leave out.
 */
import { typescript } from 'projen';
import { CDKTN_PEERS, minimumOf } from '../cdktn/package';

/** Tests that synthesize, and so run on both cores. `test/cdktn/` holds the cdktn-only ones. */
const CONSTRUCT_TESTS = ['<rootDir>/test/construct/**/*.test.ts', '<rootDir>/test/security/canary.test.ts'];
const CDKTN_ONLY_TESTS = '<rootDir>/test/cdktn/*.test.ts';
/** The fresh-app test needs the built package; `test:cdktn-package` runs it, `npm test` does not. */
const PACKAGE_TESTS = '<rootDir>/test/cdktn/package/*.test.ts';

export function addCdktnPackage(project: typescript.TypeScriptProject): void {
  // One `constructs` serves both cores in the tests: the lowest that cdktn accepts, which cdktf's
  // `^10.4.2` accepts too. The cdktf package's own peer range is unchanged.
  project.addDevDeps(...Object.entries(CDKTN_PEERS).map(([name, range]) => `${name}@${minimumOf(range)}`));

  addCdktnJestProject(project);
  addCdktnTasks(project);

  project.gitignore.exclude('/cdktn/build/');
  // The overlay, its build folder and its API.md belong to the cdktn package only.
  project.npmignore?.exclude('/cdktn/');
  project.eslint?.addLintPattern('cdktn');
  // cdktn is a dev dependency here and a peer of the package the overlay is built into.
  project.eslint?.allowDevDeps('cdktn/**');
  project.eslint?.addIgnorePattern('/cdktn/build/');
}

/**
 * `npm test` runs two jest projects: the root configuration on cdktf (every test but `test/cdktn/`),
 * and `cdktn`: the construct tests again with `cdktf` read as `cdktn`, `src/core.ts` as
 * `cdktn/src/core.ts` (test/cdktn/resolver.js) and `@cdktf/provider-null` as the built-in binding.
 */
function addCdktnJestProject(project: typescript.TypeScriptProject): void {
  const jest = project.jest;
  if (!jest) throw new Error('the cdktn jest project needs jest');
  jest.config.displayName = 'cdktf';
  jest.addIgnorePattern('<rootDir>/test/cdktn/');
  jest.config.projects = [
    '<rootDir>',
    {
      displayName: 'cdktn',
      testMatch: [...CONSTRUCT_TESTS, CDKTN_ONLY_TESTS],
      // On cdktn the null binding is built in: there is no optional package whose absence to test.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/construct/optional-null-bindings.test.ts'],
      // Read when package.json is written, so later changes to the root project's reach this one.
      transform: () => jest.config.transform,
      setupFiles: () => jest.config.setupFiles,
      setupFilesAfterEnv: () => jest.config.setupFilesAfterEnv,
      clearMocks: () => jest.config.clearMocks,
      resolver: '<rootDir>/test/cdktn/resolver.js',
      moduleNameMapper: {
        '^cdktf$': 'cdktn',
        '^cdktf/(.*)$': 'cdktn/$1',
        '^@cdktf/provider-null$': '<rootDir>/test/cdktn/provider-null.ts',
      },
    },
  ];
}

function addCdktnTasks(project: typescript.TypeScriptProject): void {
  const bundle = project.tasks.tryFind('bundle');
  if (!bundle) throw new Error('the cdktn package ships the bundled scripts: add the bundle task first');

  const build = project.addTask('build:cdktn', {
    description: 'Build the cdktn-dts-sync-check package from the same source: cdktn/build/ (src/ + the cdktn/src/ overlay), jsii, cdktn/API.md, dist/js/ tarball',
  });
  build.spawn(bundle);
  build.exec('ts-node --project cdktn/tsconfig.json cdktn/assemble.ts');
  build.exec('jsii --silence-warnings=reserved-word', { cwd: 'cdktn/build' });
  build.exec('jsii-docgen -o API.md', { cwd: 'cdktn/build' });
  build.exec('cp cdktn/build/API.md cdktn/API.md');
  build.exec('jsii-pacmak -v --target js', { cwd: 'cdktn/build' });

  // `package-all` (and `package` on CI) leave both tarballs under dist/js/.
  project.tasks.tryFind('package-all')?.spawn(build);
  project.tasks.tryFind('package')?.spawn(build, { condition: 'node -e "if (!process.env.CI) process.exit(1)"' });

  const packageTest = project.addTask('test:cdktn-package', {
    description: 'Build the cdktn package, install it into a fresh cdktn app (offline), synthesize it and apply its gate with terraform',
    env: { CHECKPOINT_DISABLE: '1' },
  });
  packageTest.spawn(build);
  // The root jest project without its `test/cdktn/` exclusion, limited to the package tests.
  packageTest.exec(`jest --ci --coverage=false --selectProjects cdktf --testPathIgnorePatterns /node_modules/ --testMatch '${PACKAGE_TESTS}'`, { receiveArgs: true });
}
