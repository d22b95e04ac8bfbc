import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A real webhook receiver on a loopback port, as another system would run one: it verifies every
 * request's Standard Webhooks signature with the endpoint's secret (the `standardwebhooks`
 * library, not the API's code) and records what it accepted. `down()` makes it answer 503 until
 * `up()`, to show retries; a request whose signature does not verify is answered 400 and counted.
 */
export interface ReceivedEvent {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, any>;
  raw: string;
}

export interface WebhookReceiver {
  url: string;
  /** Accepted (verified) events, in arrival order; a redelivered `webhook-id` appears again. */
  events: ReceivedEvent[];
  /** Requests refused because their signature did not verify. */
  badSignatures: number;
  /** Requests answered 503 while down. */
  refused: number;
  setSecret(secret: string): void;
  down(): void;
  up(): void;
  /** Waits until `predicate` holds for the accepted events (polling; bounded by the test's timeout). */
  waitFor(predicate: (events: ReceivedEvent[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let verifier: Webhook | undefined;
  let isDown = false;
  const receiver = {
    url: '',
    events: [] as ReceivedEvent[],
    badSignatures: 0,
    refused: 0,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (isDown) {
        receiver.refused += 1;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        if (!verifier) throw new Error('no secret yet');
        const body = verifier.verify(raw, req.headers as Record<string, string>) as { type: string; timestamp: string; data: Record<string, any> };
        receiver.events.push({ id: String(req.headers['webhook-id']), type: body.type, timestamp: body.timestamp, data: body.data, raw });
        res.writeHead(204).end();
      } catch {
        receiver.badSignatures += 1;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return Object.assign(receiver, {
    setSecret(secret: string) {
      verifier = new Webhook(secret);
    },
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    async waitFor(predicate: (events: ReceivedEvent[]) => boolean) {
      while (!predicate(receiver.events)) await new Promise((r) => setTimeout(r, 25));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
