/**
 * The shape we keep: arrows run one way, down. `src/cli/` (the command-line entry) sits on top,
 * then the construct, then `lookup/` and `emulator/`, with `dts/` (the Tencent side) at the
 * bottom; the core package is named in one file; the gate's script loads nothing of the
 * emulator or the CLI. Read from the import statements of `src/`, so a new arrow fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `src/`-relative path without extension, e.g. `dts/call`. */
const rel = (file: string) => path.relative(SRC, file).replace(/\.ts$/, '').split(path.sep).join('/');

/** Every module a file names: import/export ... from, require(), import(), `import type` included. */
function specifiers(text: string): string[] {
  const found = new Set<string>();
  const patterns = [/\b(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]);
  return [...found];
}

interface Module {
  readonly name: string;
  /** Other modules of src/ it imports. */
  readonly internal: string[];
  /** Packages it imports (node:*, undici, cdktf, ...). */
  readonly external: string[];
}

const files = sourceFiles(SRC);
const modules = new Map<string, Module>();
for (const file of files) {
  const name = rel(file);
  const internal: string[] = [];
  const external: string[] = [];
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    if (!spec.startsWith('.')) {
      external.push(spec);
      continue;
    }
    const resolved = path.resolve(path.dirname(file), spec);
    if (path.relative(SRC, resolved).startsWith('..')) {
      external.push(spec); // package.json, read for the version
      continue;
    }
    const target = rel(resolved);
    internal.push(files.some((f) => rel(f) === target) ? target : `${target}/index`);
  }
  modules.set(name, { name, internal, external });
}

const layer = (name: string) => (name.includes('/') ? name.split('/')[0] : 'construct');

test('the source tree was read (a broken reader would pass every rule below)', () => {
  expect(modules.size).toBeGreaterThan(30);
  expect(modules.get('dts/call')?.internal).toContain('dts/tc3');
  expect(modules.get('sync-check-result')?.internal).toContain('core');
});

test.each([
  ['dts', ['dts']],
  ['lookup', ['lookup', 'dts', 'construct:bundles']],
  ['emulator', ['emulator', 'dts', 'construct:bundles']],
  ['cli', ['cli', 'lookup', 'emulator', 'dts']],
])('%s/ imports only from %j', (from, allowed) => {
  const wrong = [...modules.values()]
    .filter((m) => layer(m.name) === from)
    .flatMap((m) => m.internal.filter((t) => !allowed.includes(layer(t)) && !allowed.includes(`construct:${t}`)).map((t) => `${m.name} -> ${t}`));
  expect(wrong).toEqual([]);
});

test('nothing below the command-line entry imports it', () => {
  const wrong = [...modules.values()].filter((m) => layer(m.name) !== 'cli').flatMap((m) => m.internal.filter((t) => layer(t) === 'cli').map((t) => `${m.name} -> ${t}`));
  expect(wrong).toEqual([]);
});

test('the core package and its provider bindings are named in src/core.ts only', () => {
  const naming = [...modules.values()].filter((m) => m.external.some((e) => e === 'cdktf' || e.startsWith('cdktf/') || e.startsWith('@cdktf/')));
  expect(naming.map((m) => m.name)).toEqual(['core']);
});

test('no module imports itself through others (no cycles)', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(name)), name].join(' -> '));
      return;
    }
    state.set(name, 'visiting');
    for (const next of modules.get(name)?.internal ?? []) visit(next, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of modules.keys()) visit(name, []);
  expect(cycles).toEqual([]);
});

test('the lookup script (gate and batch) loads nothing of the emulator, the CLI or the construct', () => {
  const reached = new Set<string>();
  const walk = (name: string) => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const next of modules.get(name)?.internal ?? []) walk(next);
  };
  walk('lookup/bin');
  expect(reached.has('lookup/gate')).toBe(true);
  expect([...reached].filter((n) => !['lookup', 'dts'].includes(layer(n)))).toEqual([]);
});
