// securityHeaders records helmet's header work once and replays it per response (issue 12): the
// replay must put exactly what helmet itself puts on the wire, names, values and order.
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { helmetOptions, securityHeaders } from '../../src/http/middleware/securityHeaders.js';

/** The raw response headers of GET / through `middleware`, minus Date (it changes every second). */
async function headersThrough(middleware: RequestHandler): Promise<string[][]> {
  const app = express(); // X-Powered-By left on: helmet removes it, and so must the replay.
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const port = (server.address() as AddressInfo).port;
    const raw = await new Promise<string[]>((resolve, reject) => {
      const req = get(`http://127.0.0.1:${port}/`, (res) => {
        res.resume();
        resolve(res.rawHeaders);
      });
      req.on('error', reject);
    });
    const pairs: string[][] = [];
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() !== 'date') pairs.push([raw[i]!, raw[i + 1]!]);
    return pairs;
  } finally {
    server.close();
  }
}

describe('securityHeaders (helmet recorded once)', () => {
  for (const production of [false, true]) {
    it(`puts on the wire exactly what helmet does (production: ${production})`, async () => {
      const replayed = await headersThrough(securityHeaders({ production }));
      expect(replayed).toEqual(await headersThrough(helmet(helmetOptions({ production }))));
      expect(replayed.map(([name]) => name)).not.toContain('X-Powered-By');
      expect(replayed.length).toBeGreaterThan(10);
    });
  }
});
