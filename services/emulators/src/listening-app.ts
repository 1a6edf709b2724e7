import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** An emulator's HTTP server once it accepts connections. */
export interface ListeningApp {
  readonly port: number;
  /** `http://host:port`, with an IPv6 host in brackets. */
  readonly origin: string;
  /** Stops accepting and drops open connections, so a test's teardown never waits on a keep-alive socket. */
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and resolves once the server accepts connections. */
export async function listenApp(app: Express, port: number, host: string): Promise<ListeningApp> {
  const server = app.listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
