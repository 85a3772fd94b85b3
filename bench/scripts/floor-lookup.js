// The floor of the cold-lookup benchmark: node's start plus one bare node:http POST on loopback
// (unsigned, so the answer is an error envelope; the round trip is what counts).
// Usage: node floor-lookup.js PORT JOB_ID
const http = require('node:http');

const [port, jobId] = process.argv.slice(2);
const body = JSON.stringify({ JobId: jobId });
const req = http.request({
  host: '127.0.0.1',
  port: Number(port),
  method: 'POST',
  path: '/',
  headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-TC-Action': 'DescribeSyncCheckJob' },
}, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    process.stdout.write(`${Buffer.concat(chunks).toString('utf8')}\n`);
    process.exitCode = res.statusCode === 200 ? 0 : 1;
  });
});
req.on('error', (e) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 4;
});
req.end(body);
