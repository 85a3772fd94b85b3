/**
 * What makes the cdktn package's package.json differ from the cdktf one, in one place. Everything
 * else (version, author, bin, bundled undici, engines) is read from the root package.json when the
 * package is assembled, so the two packages cannot drift apart. `.projenrc.ts` takes the dev copies
 * of the cdktn peers from here too.
 */

export const CDKTN_PACKAGE_NAME = 'cdktn-dts-sync-check';

/**
 * The cdktn package's peers. cdktn 0.24 itself declares `constructs` `>=10.6.0 <10.8.0`; a wider
 * range here would let npm install a `constructs` that cdktn refuses.
 */
export const CDKTN_PEERS: Readonly<Record<string, string>> = {
  cdktn: '^0.24.0',
  constructs: '>=10.6.0 <10.8.0',
};

/** Peers of the cdktf package that mean nothing to a cdktn app (the null gate is built in). */
const CDKTF_ONLY_PEERS = ['cdktf', '@cdktf/provider-null'];

/** The lowest version a peer range admits: what we build and test against, as projen pins peers. */
export function minimumOf(range: string): string {
  const lowest = /\d+\.\d+\.\d+/.exec(range);
  if (!lowest) throw new Error(`cannot read the lowest version of the peer range "${range}"`);
  return lowest[0];
}

/** The opening of the README in the cdktn package; the rest is the project's README. */
export const CDKTN_README_NOTE = [
  `> **${CDKTN_PACKAGE_NAME}** is the CDK Terrain (cdktn) build of \`cdktf-dts-sync-check\`: the same`,
  '> constructs, API and command-line tool, built from the same source. Where the examples below',
  `> import from \`cdktf\` and \`cdktf-dts-sync-check\`, import from \`cdktn\` and \`${CDKTN_PACKAGE_NAME}\`;`,
  '> see "CDK Terrain (cdktn)" for what differs.',
  '',
  '',
].join('\n');

type Manifest = Record<string, any>;

/** Fields of the root package.json the published package has no use for. */
const DEVELOPMENT_ONLY = ['scripts', 'devDependencies', 'devEngines', 'jest', '//'];

/**
 * The package.json of `cdktn-dts-sync-check`, from the root one.
 * @param jsiiOutdir where jsii-pacmak writes the tarball, relative to the assembled folder
 */
export function cdktnManifest(root: Manifest, jsiiOutdir: string): Manifest {
  if (!String(root.description).startsWith('CDK for Terraform ')) {
    throw new Error(`the root package.json description no longer starts with "CDK for Terraform ": update cdktn/package.ts (got "${root.description}")`);
  }
  const manifest: Manifest = { ...root };
  for (const field of DEVELOPMENT_ONLY) delete manifest[field];
  const peers = { ...root.peerDependencies };
  const peersMeta = { ...root.peerDependenciesMeta };
  for (const name of CDKTF_ONLY_PEERS) {
    delete peers[name];
    delete peersMeta[name];
  }
  if (Object.keys(peersMeta).length > 0) manifest.peerDependenciesMeta = peersMeta;
  else delete manifest.peerDependenciesMeta;
  return {
    ...manifest,
    name: CDKTN_PACKAGE_NAME,
    description: String(root.description).replace(/^CDK for Terraform /, 'CDK Terrain (cdktn) '),
    keywords: [...new Set((root.keywords as string[]).map((k) => (k === 'cdktf' ? 'cdktn' : k)))].sort(),
    peerDependencies: sortedKeys({ ...peers, ...CDKTN_PEERS }),
    // jsii asks for a dev copy of each peer; consumers never install devDependencies.
    devDependencies: Object.fromEntries(Object.entries(CDKTN_PEERS).map(([name, range]) => [name, minimumOf(range)])),
    // An allow-list: the package carries the compiled library, the two bundled scripts, the jsii
    // assembly and the docs (npm adds package.json, README, LICENSE and bundled dependencies).
    files: ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md'],
    jsii: { ...root.jsii, outdir: jsiiOutdir },
  };
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
