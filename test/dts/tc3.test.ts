import * as fc from 'fast-check';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { sha256Hex, signTc3, tc3Date } from '../../src/dts/tc3';

// shared/REFERENCE.md §4: the documented cvm DescribeInstances vectors. The asterisks are part of the keys.
const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3*******';
const BODY = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const BASE = {
  method: 'POST',
  body: BODY,
  timestamp: 1551113065,
  service: 'cvm',
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
};
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'host': 'cvm.tencentcloudapi.com' };

describe('TC3-HMAC-SHA256', () => {
  test('reproduces the documented vector that signs content-type;host, intermediates included', () => {
    const s = signTc3({ ...BASE, headers: HEADERS });
    expect(s.bodyHash).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(s.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n'
      + '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(s.canonicalRequestHash).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(s.date).toBe('2019-02-25');
    expect(s.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    expect(s.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, `
      + 'Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  test('reproduces the documented vector that also signs x-tc-action, lowercased', () => {
    const s = signTc3({ ...BASE, headers: { ...HEADERS, 'x-tc-action': 'DescribeInstances' } });
    expect(s.bodyHash).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(s.canonicalRequest).toContain('\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n');
    expect(s.canonicalRequestHash).toBe('7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84');
    expect(s.signedHeaders).toBe('content-type;host;x-tc-action');
    expect(s.signature).toBe('be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3');
  });

  test('dates the scope by UTC, not by the local time zone', () => {
    expect(tc3Date(1551113065)).toBe('2019-02-25'); // 16:44:25 UTC, already the 26th in UTC+8
    expect(tc3Date(1551139199)).toBe('2019-02-25'); // 23:59:59 UTC
    expect(tc3Date(1551139200)).toBe('2019-02-26'); // midnight UTC
  });

  test('hashes non-ASCII bodies as UTF-8 bytes, the same as a Buffer of them', () => {
    const body = '{"JobId":"sync-blj8wnt1","Name":"灾备检查 ✓ 😀"}';
    const asString = signTc3({ ...BASE, body, headers: HEADERS });
    const asBytes = signTc3({ ...BASE, body: Buffer.from(body, 'utf8'), headers: HEADERS });
    expect(asString.bodyHash).toBe(sha256Hex(Buffer.from(body, 'utf8')));
    expect(asString.signature).toBe(asBytes.signature);
  });

  test('refuses a timestamp that is not whole unix seconds', () => {
    expect(() => signTc3({ ...BASE, timestamp: 1551113065.5, headers: HEADERS })).toThrow(/non-negative integer/);
  });

  test('agrees with the official SDK Sign.sign3 on 1,000 random requests', () => {
    // At most one hyphen: a label starting `xn--` is punycode, which the SDK's URL parser rejects.
    const token = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,7})?$/);
    const input = fc.record({
      host: fc.tuple(token, fc.constantFrom('tencentcloudapi.com', 'ap-shanghai-fsi.tencentcloudapi.com', 'example.internal')).map(([a, b]) => `${a}.${b}`),
      service: token,
      body: fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.json()),
      timestamp: fc.integer({ min: 0, max: 4_102_444_800 }),
      secretId: fc.string({ minLength: 1, maxLength: 40 }),
      secretKey: fc.string({ minLength: 1, maxLength: 40 }),
      contentType: fc.constantFrom('application/json; charset=utf-8', 'application/json', 'application/x-www-form-urlencoded'),
    });
    fc.assert(
      fc.property(input, (i) => {
        const ours = signTc3({
          method: 'POST',
          headers: { 'content-type': i.contentType, 'host': i.host },
          body: i.body,
          timestamp: i.timestamp,
          service: i.service,
          secretId: i.secretId,
          secretKey: i.secretKey,
        });
        const theirs = Sign.sign3({
          method: 'POST',
          url: `https://${i.host}/`,
          payload: Buffer.from(i.body, 'utf8'),
          timestamp: i.timestamp,
          service: i.service,
          secretId: i.secretId,
          secretKey: i.secretKey,
          multipart: false,
          boundary: '',
          headers: { 'Content-Type': i.contentType },
        });
        expect(ours.authorization).toBe(theirs);
      }),
      { numRuns: 1000 },
    );
  });
});
