import { isIP } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { AppError } from '../../shared/contract/errors';
import type { ServerAddress } from './server-address';

const serverName = (host: string) => (isIP(host) ? undefined : host);

/**
 * Opens a TLS connection and reads the certificate the server presents, sending nothing else. The chain is not
 * checked against any authority: a Stockbook server's certificate is trusted by its pinned fingerprint instead.
 */
export function presentedFingerprint(address: ServerAddress, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port, servername: serverName(address.host), rejectUnauthorized: false });
    const fail = (e: Error) => {
      socket.destroy();
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ECONNREFUSED'
          ? 'nothing answers on that port (is "stockbook serve" running there, on this port?)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'that name is not known on this network'
            : code === 'ETIMEDOUT' || code === 'TIMEOUT'
              ? 'it did not answer in time (a firewall may block the port)'
              : `${e.message}`;
      reject(new AppError('UNAVAILABLE', `Cannot reach the Stockbook server ${address.label}: ${why}. Check the address and that the server is running, then try again.`));
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.fingerprint256) fail(new Error('the server presented no certificate'));
      else resolve(cert.fingerprint256);
    });
  });
}

/**
 * The socket factory for the WebSocket: TLS that is torn down, before the WebSocket opens, unless the server presents
 * exactly the pinned certificate (a certificate swapped after the fingerprint was read is caught here too).
 */
export function pinnedConnection(expected: string): (options: ConnectionOptions) => TLSSocket {
  return (options) => {
    const socket = connect({ ...options, servername: serverName(options.host ?? ''), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate()?.fingerprint256;
      if (presented !== expected) {
        socket.destroy(Object.assign(new Error(`the server's certificate changed (presented ${presented ?? 'none'}, trusted ${expected})`), { code: 'CERT_CHANGED', presented }));
      }
    });
    return socket;
  };
}
