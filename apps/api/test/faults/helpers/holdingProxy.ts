import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a Redis that can hold back Redis's replies: commands still reach Redis
 * (and are carried out there), but their answers wait until release(). That is what a client sees
 * when its event loop stalls past the command timeout or the network is slow, reproduced without
 * depending on how busy the machine is.
 */
export interface HoldingProxy {
  /** The proxy's redis:// URL, with the target's database path. */
  url: string;
  /** From now on, replies are kept back (in order) instead of passed on. */
  hold(): void;
  /** Passes on everything kept back, in order, and every later reply at once. */
  release(): void;
  close(): Promise<void>;
}

interface Pipe {
  client: Socket;
  upstream: Socket;
  held: Buffer[];
}

export async function startHoldingProxy(target: URL): Promise<HoldingProxy> {
  let holding = false;
  const pipes = new Set<Pipe>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 6379) });
    const pipe: Pipe = { client, upstream, held: [] };
    pipes.add(pipe);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => (holding ? pipe.held.push(chunk) : client.write(chunk)));
    const end = () => {
      pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}${target.pathname}`,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const pipe of pipes) for (const chunk of pipe.held.splice(0)) pipe.client.write(chunk);
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const pipe of pipes) {
        pipe.client.destroy();
        pipe.upstream.destroy();
      }
      await closed;
    },
  };
}
