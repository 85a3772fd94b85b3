#!/usr/bin/env node
// The lookup script and the `dts-sync-check` CLI (placeholder until the lookup lands).
process.stdout.write('dts-sync-check: not yet implemented\n');
process.exitCode = 2;
