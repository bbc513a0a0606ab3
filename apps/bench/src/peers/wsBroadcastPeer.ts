import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A running broadcast peer. */
export interface WsBroadcastPeer {
  /** Base URL: POST /broadcast with a JSON body; clients connect to /ws. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The raw `ws` peer of B4: every body POSTed to /broadcast is sent, as
 * received, to every connected client, framed the way graphql-ws frames a
 * subscription's `next` message. The answer comes once every send is
 * queued, as Rollcall's mutation answers once its event is published.
 */
export async function startWsBroadcastPeer(): Promise<WsBroadcastPeer> {
  const clients = new Set<WebSocket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      const frame = `{"id":"1","type":"next","payload":${payload}}`;
      for (const client of clients) client.send(frame);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sent: clients.size }));
    });
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
