import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A real TCP relay between a client and a server, for tests of connection loss: it can stop passing the server's bytes
 * on (a reply that never arrives) and cut every connection at once, as a pulled network cable does.
 */
export interface CutProxy {
  port: number;
  /** From now on, bytes from the server are dropped instead of passed to the client (the connections stay up). */
  holdReplies(): void;
  /** Cuts every connection (both sides); new connections are relayed normally again. */
  cutAll(): void;
  /** Connections relayed so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startCutProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CutProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let holding = false;
  let count = 0;
  const server: Server = createServer((client) => {
    count++;
    const upstream = connect({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!holding) client.write(d);
    });
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    holdReplies: () => {
      holding = true;
    },
    cutAll: () => {
      for (const [a, b] of [...pairs]) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      holding = false;
    },
    connections: () => count,
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}
