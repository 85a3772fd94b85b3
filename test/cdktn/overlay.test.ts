/**
 * The cdktn package is src/ with the files of cdktn/src/ laid over it. These tests hold the rules
 * that keep that honest: the construct tests in this jest project really run on cdktn, the overlay
 * core exports what src/core.ts exports, each core package is named on its own side only, and the
 * resolver lays the overlay exactly as cdktn/assemble.ts does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as cdktn from 'cdktn';
import * as ts from 'typescript';
import * as core from '../../src/core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const resolve = require('./resolver.js') as (request: string, options: { basedir: string; defaultResolver: DefaultResolver }) => string;
type DefaultResolver = (request: string, options: { basedir: string }) => string;

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const OVERLAY = path.join(ROOT, 'cdktn', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every name a module exports, values and types, read from its syntax. */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      names.push(...statement.exportClause.elements.map((e) => e.name.text));
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      const name = (statement as ts.DeclarationStatement).name;
      if (name && ts.isIdentifier(name)) names.push(name.text);
    }
  }
  return names.sort();
}

/** The packages a file imports or requires. */
function packagesNamed(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s*|require\(\s*|import\(\s*)['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]);
}

describe('in this jest project', () => {
  test('`cdktf` is cdktn and src/core.ts is the overlay, so the construct tests run on cdktn', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('cdktf')).toBe(cdktn);
    expect(core.TerraformStack).toBe(cdktn.TerraformStack);
    expect(core.TerraformResource).toBe(cdktn.TerraformResource);
  });

  test('the null gate gets the built-in binding, and `@cdktf/provider-null` in a test names it too', () => {
    const bindings = core.nullBindings();
    expect(bindings.provider.NullProvider.prototype).toBeInstanceOf(cdktn.TerraformProvider);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('@cdktf/provider-null').provider.NullProvider).toBe(bindings.provider.NullProvider);
  });
});

describe('the overlay', () => {
  test('cdktn/src/core.ts exports exactly the names src/core.ts exports', () => {
    const names = exportedNames(path.join(SRC, 'core.ts'));
    expect(names).toContain('TerraformResource');
    expect(names).toContain('nullBindings');
    expect(exportedNames(path.join(OVERLAY, 'core.ts'))).toEqual(names);
  });

  test('src/ never names cdktn, and the overlay never names cdktf or @cdktf/*', () => {
    const srcNamingCdktn = filesUnder(SRC).filter((f) => packagesNamed(f).some((p) => p === 'cdktn' || p.startsWith('cdktn/')));
    const overlayNamingCdktf = filesUnder(OVERLAY).filter((f) => packagesNamed(f).some((p) => p === 'cdktf' || p.startsWith('cdktf/') || p.startsWith('@cdktf/')));
    expect(packagesNamed(path.join(OVERLAY, 'core.ts'))).toContain('cdktn');
    expect({ srcNamingCdktn, overlayNamingCdktf }).toEqual({ srcNamingCdktn: [], overlayNamingCdktf: [] });
  });

  test('replaces src/core.ts and otherwise only adds files (a replaced file would be a second source)', () => {
    const replaced = filesUnder(OVERLAY).map((f) => path.relative(OVERLAY, f)).filter((rel) => existsSync(path.join(SRC, rel)));
    expect(replaced).toEqual(['core.ts']);
  });
});

describe('the resolver lays the overlay as the build does', () => {
  /** Node's rule for a relative TypeScript import, over the real files. */
  const defaultResolver: DefaultResolver = (request, { basedir }) => {
    const base = path.resolve(basedir, request);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => existsSync(p));
    if (!found) throw new Error(`cannot resolve ${request} from ${basedir}`);
    return found;
  };
  const from = (dir: string, request: string) => path.relative(ROOT, resolve(request, { basedir: dir, defaultResolver }));

  test.each([
    ['src/core.ts, from src/', SRC, './core', 'cdktn/src/core.ts'],
    ['src/core.ts, from src/lookup/', path.join(SRC, 'lookup'), '../core', 'cdktn/src/core.ts'],
    ['any other module of src/', SRC, './gate', 'src/gate.ts'],
    ['an overlay file, from the overlay', OVERLAY, './null-binding', 'cdktn/src/null-binding.ts'],
    ['a module of src/, from the overlay', OVERLAY, './dts/types', 'src/dts/types.ts'],
  ])('%s', (_what, basedir, request, expected) => {
    expect(from(basedir, request)).toBe(expected);
  });
});
