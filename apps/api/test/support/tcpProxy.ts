import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP proxy whose connections can all be cut at once. */
export interface TcpProxy {
  /** ws:// URL of `path` through the proxy. */
  wsUrl(path: string): string;
  /** Connections open now (client side). */
  connectionCount(): number;
  /** Destroys every connection, as a network drop would. */
  dropAll(): void;
  close(): Promise<void>;
}

/** Forwards every connection on a free port to 127.0.0.1:`targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    const cut = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream).pipe(client);
  });
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    wsUrl: (path) => `ws://127.0.0.1:${port}${path}`,
    connectionCount: () => open.size,
    dropAll: () => {
      for (const socket of [...open]) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...open]) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
