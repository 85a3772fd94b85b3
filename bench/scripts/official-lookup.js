// One DescribeSyncCheckJob with the official tencentcloud-sdk-nodejs-common CommonClient: the
// baseline of the cold-lookup benchmark. Usage: node official-lookup.js PORT JOB_ID
// The SDK signs for the service its endpoint's first label names, so it is given the real host
// (plain http) and reaches the emulator as its HTTP proxy, as the emulator's conformance tests do.
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

const [port, jobId] = process.argv.slice(2);
const client = new CommonClient('dts.tencentcloudapi.com', '2018-03-30', {
  credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
  region: 'ap-guangzhou',
  profile: { httpProfile: { endpoint: 'dts.tencentcloudapi.com', protocol: 'http://', proxy: `http://127.0.0.1:${port}` } },
});
client.request('DescribeSyncCheckJob', { JobId: jobId }).then(
  (res) => {
    process.stdout.write(`${JSON.stringify(res)}\n`);
    process.exitCode = res.Status === 'finished' && res.CheckFlag === 1 ? 0 : 1;
  },
  (e) => {
    process.stderr.write(`${e.code}: ${e.message}\n`);
    process.exitCode = 4;
  },
);
