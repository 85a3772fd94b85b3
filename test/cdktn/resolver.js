/**
 * Module resolution for the construct tests on CDK Terrain (the `cdktn` jest project), the same
 * rule `cdktn/assemble.ts` applies when it builds the cdktn package: the files of `cdktn/src/`
 * (the overlay) take the place of their namesakes in `src/`, and sit beside the rest of `src/`.
 *
 * - A module of `src/` that has a namesake in `cdktn/src/` resolves to the overlay file
 *   (`src/core.ts` -> `cdktn/src/core.ts`).
 * - A relative import from an overlay file resolves in `cdktn/src/` first, then in `src/`.
 *
 * Plain JavaScript: jest loads a resolver with `require`, untransformed.
 */
const { existsSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const OVERLAY = path.join(ROOT, 'cdktn', 'src');

const isUnder = (file, dir) => !path.relative(dir, file).startsWith('..') && !path.isAbsolute(path.relative(dir, file));

function overlaid(file) {
  if (!isUnder(file, SRC)) return file;
  const candidate = path.join(OVERLAY, path.relative(SRC, file));
  return existsSync(candidate) ? candidate : file;
}

module.exports = (request, options) => {
  if (request.startsWith('.') && isUnder(options.basedir, OVERLAY)) {
    try {
      return overlaid(options.defaultResolver(request, options));
    } catch {
      const basedir = path.join(SRC, path.relative(OVERLAY, options.basedir));
      return overlaid(options.defaultResolver(request, { ...options, basedir }));
    }
  }
  return overlaid(options.defaultResolver(request, options));
};
