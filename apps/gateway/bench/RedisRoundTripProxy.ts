import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { RespCounter } from './respCounter';

export interface RoundTripCounts {
  /** Times a connection went from nothing in flight to waiting for a reply. */
  readonly roundTrips: number;
  readonly commands: number;
}

/**
 * A TCP proxy in front of a throwaway Redis that counts round trips without MONITOR: it parses the
 * RESP commands each client sends and the replies it gets back, and counts a round trip whenever
 * commands leave a connection that had no reply outstanding. A pipeline of any length is one round trip;
 * commands awaited one after another are one each. Pub/sub pushes can only lower the outstanding count
 * (never below zero), so they add no round trips.
 */
export class RedisRoundTripProxy {
  #roundTrips = 0;
  #commands = 0;
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  #port = 0;

  private constructor(readonly redisPort: number) {
    this.#server = createServer((client) => this.#pipe(client));
  }

  static async start(redisPort: number): Promise<RedisRoundTripProxy> {
    const proxy = new RedisRoundTripProxy(redisPort);
    proxy.#port = await new Promise<number>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => {
        const address = proxy.#server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.#port}`;
  }

  counts(): RoundTripCounts {
    return { roundTrips: this.#roundTrips, commands: this.#commands };
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: Socket): void {
    const upstream = tcpConnect(this.redisPort, '127.0.0.1');
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const commands = new RespCounter();
    const replies = new RespCounter();
    let outstanding = 0;
    client.on('data', (chunk: Buffer) => {
      const sent = commands.feed(chunk);
      if (sent > 0 && outstanding === 0) this.#roundTrips++;
      this.#commands += sent;
      outstanding += sent;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      outstanding = Math.max(0, outstanding - replies.feed(chunk));
      client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('close', close);
      socket.on('error', close);
    }
  }
}
