// Preloaded with `node -r` where /usr/bin/time is missing: reports the process's own peak RSS
// (KiB) on stderr as it exits.
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nMAXRSS_KIB=${process.resourceUsage().maxRSS}\n`);
});
