/**
 * Syslog transports: UDP (one message per datagram), TCP (RFC 6587 octet counting for RFC 5424,
 * newline framing for RFC 3164; reconnects after a drop) and the local unix datagram socket
 * (`/dev/log`, through the unix-dgram addon since Node's dgram has no unix sockets).
 * @module
 */
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import net from 'node:net';
import { DeliveryError } from './types.ts';

/** Sends one formatted syslog message at a time. */
export interface SyslogTransport {
  send(message: string): Promise<void>;
  close(): Promise<void>;
}

/** Where and how to send. */
export interface SyslogTarget {
  transport: 'udp' | 'tcp' | 'unix';
  host?: string;
  port?: number;
  path?: string;
  /** TCP framing: octet counting (RFC 5424 default) or newline (RFC 3164). */
  framing?: 'octet' | 'lf';
  timeoutMs?: number;
}

function udp(t: SyslogTarget): SyslogTransport {
  const host = t.host ?? '127.0.0.1';
  const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  sock.on('error', () => {}); // reported per send
  sock.unref();
  return {
    send: (m) => new Promise((resolve, reject) => {
      sock.send(Buffer.from(m), t.port ?? 514, host, (e) => (e ? reject(new DeliveryError(e.message)) : resolve()));
    }),
    close: async () => {
      sock.close();
    },
  };
}

function tcp(t: SyslogTarget): SyslogTransport {
  let sock: net.Socket | undefined;
  let connecting: Promise<net.Socket> | undefined;
  const connect = (): Promise<net.Socket> => {
    if (sock && !sock.destroyed) return Promise.resolve(sock);
    connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: t.host ?? '127.0.0.1', port: t.port ?? 514, timeout: t.timeoutMs ?? 2000 });
      s.once('connect', () => {
        s.setTimeout(0);
        sock = s;
        resolve(s);
      });
      s.once('timeout', () => s.destroy(new Error('connect timed out')));
      s.once('error', (e) => reject(new DeliveryError(e.message)));
      s.on('close', () => {
        if (sock === s) sock = undefined;
      });
      s.on('data', () => {}); // syslog receivers do not answer; drain anything
    }).finally(() => (connecting = undefined));
    return connecting;
  };
  return {
    async send(m) {
      const s = await connect();
      const frame = t.framing === 'lf' ? m.replace(/\n/g, ' ') + '\n' : `${Buffer.byteLength(m)} ${m}`;
      await new Promise<void>((resolve, reject) => s.write(frame, (e) => (e ? reject(new DeliveryError(e.message)) : resolve())));
    },
    async close() {
      sock?.end();
      sock?.destroy();
    },
  };
}

interface UnixDgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, cb: (e?: Error) => void): void;
  on(ev: 'error', cb: (e: Error) => void): void;
  close(): void;
}

function unix(t: SyslogTarget): SyslogTransport {
  const path = t.path ?? '/dev/log';
  let sock: UnixDgramSocket | undefined;
  const open = (): UnixDgramSocket => {
    if (sock) return sock;
    let mod: { createSocket(type: 'unix_dgram'): UnixDgramSocket };
    try {
      mod = createRequire(import.meta.url)('unix-dgram');
    } catch (e) {
      throw new DeliveryError(`unix syslog needs the unix-dgram addon: ${(e as Error).message}`);
    }
    sock = mod.createSocket('unix_dgram');
    sock.on('error', () => {});
    return sock;
  };
  return {
    send: (m) => new Promise((resolve, reject) => {
      const b = Buffer.from(m);
      open().send(b, 0, b.length, path, (e) => (e ? reject(new DeliveryError(`${path}: ${e.message}`)) : resolve()));
    }),
    async close() {
      sock?.close();
      sock = undefined;
    },
  };
}

/** Opens a transport for the target. */
export function createSyslogTransport(t: SyslogTarget): SyslogTransport {
  return t.transport === 'udp' ? udp(t) : t.transport === 'tcp' ? tcp(t) : unix(t);
}
