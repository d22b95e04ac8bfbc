import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '@portcullis/testing/ports';

/**
 * A private redis-server on a loopback port of its own, without persistence, so that a test can
 * stop it (SIGKILL), freeze it (SIGSTOP: connections stay open, nothing answers) and bring it back.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  kill(): Promise<void>;
  freeze(): void;
  thaw(): void;
  /** Starts a new server on the same port (after kill). */
  restart(): Promise<void>;
  /** Runs one command through redis-cli-free RESP (inline command), returning the raw reply. */
  command(line: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if ((await command(port, 'PING', 500).catch(() => '')).includes('PONG')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('private redis-server did not start');
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    restart: launch,
    command: (line) => command(port, line, 2_000),
    async stop() {
      child?.kill('SIGCONT');
      await kill();
    },
  };
}

function command(port: number, line: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('redis timeout'));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${line}\r\nQUIT\r\n`));
    socket.on('data', (d) => (reply += d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}
