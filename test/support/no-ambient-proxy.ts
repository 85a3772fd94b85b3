/**
 * Jest setup: tests talk to servers on 127.0.0.1, and loopback is not exempt from a proxy unless
 * NO_PROXY says so (undici's EnvHttpProxyAgent rule, which the client follows). A developer's
 * shell proxy must not turn local tests into proxy tests: tests that test proxies set their own.
 */
for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
  delete process.env[name];
}
