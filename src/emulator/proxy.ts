/**
 * The emulator as the HTTP proxy of a client that knows only real host names.
 *
 * Why: a TC3 signature's credential scope names the service, and some clients (the official
 * Node SDK among them) take it from the first label of their endpoint; pointed at 127.0.0.1
 * they sign service `127`, which the service refuses. Given the real host name
 * (`dts.tencentcloudapi.com`, protocol `http://`) and the emulator as their proxy, they sign
 * `dts` and reach the emulator:
 *
 * - a proxy-aware client sends `CONNECT dts.tencentcloudapi.com:80` (the Node SDK's
 *   `httpProfile.proxy`, through https-proxy-agent): the emulator answers 200 and serves the
 *   tunnelled connection itself;
 * - a plain HTTP proxy client sends absolute-form targets (`POST http://dts.tencentcloudapi.com/`):
 *   the request handler reads the path and query from them (`splitTarget`).
 *
 * Only Tencent Cloud API hosts (and the CVM metadata host) on port 80 are tunnelled, and always
 * to the emulator itself: it is no general proxy. TLS is not spoken, so port 443 is refused
 * with a message saying to use `http://`.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** Hosts the emulator stands in for when used as a proxy. */
export function isEmulatedHost(host: string): boolean {
  const h = host.toLowerCase();
  return /^([a-z0-9-]+\.)+tencentcloudapi\.com$/.test(h) || h === 'metadata.tencentyun.com';
}

/** Handle a CONNECT: tunnel to this same server, or refuse with a plain-text reason. */
export function acceptTunnel(server: Server, req: IncomingMessage, socket: Socket, head: Buffer): void {
  const target = /^([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(req.url ?? '');
  const refuse = (status: string, why: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(why)}\r\nConnection: close\r\n\r\n${why}`);
  };
  if (!target || !isEmulatedHost(target[1])) {
    return refuse('403 Forbidden', `The DTS emulator only stands in for Tencent Cloud API hosts (*.tencentcloudapi.com); it is not a general proxy (got CONNECT ${JSON.stringify((req.url ?? '').slice(0, 80))}).\n`);
  }
  if (target[2] !== '80') {
    return refuse('501 Not Implemented', `The DTS emulator speaks plain HTTP only: use protocol http:// (port 80) with it as your proxy (got port ${target[2]}).\n`);
  }
  socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  if (head.length > 0) socket.unshift(head);
  // The tunnelled bytes are plain HTTP requests to the emulator: let the server parse them.
  server.emit('connection', socket);
}
