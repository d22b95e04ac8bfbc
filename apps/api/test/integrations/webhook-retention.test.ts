import { describe, expect } from 'vitest';
import { runCleanup } from '../../src/services/cleanup.js';
import { deleteOldDeliveries } from '../../src/services/webhooks/retention.js';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * Delivery-log retention: the cleanup job deletes delivered and given-up deliveries older than
 * WEBHOOK_LOG_RETENTION, in bounded batches, and never a pending one (still owed to its receiver).
 * Rows are written and aged with real SQL, then the real job runs.
 */

const DAY_MS = 86_400_000;

async function seedEndpoint(server: TestServer): Promise<string> {
  const [row] = await server.query<{ id: string }>(
    `insert into webhook_endpoints (url, events, secret) values ('https://receiver.example/hook', '["user.created"]', 'not-used') returning id`,
  );
  return row!.id;
}

/** One delivery per (label, status, age in days); the label goes in message_id to find it again. */
async function seedDeliveries(server: TestServer, endpointId: string, rows: [label: string, status: string, ageDays: number][]) {
  const values = rows
    .map(([label, status, age]) => `('${endpointId}', '${label}', 'user.created', '{}', '${status}', now() - interval '${age} days')`)
    .join(',\n');
  await server.query(`insert into webhook_deliveries (endpoint_id, message_id, event_type, payload, status, created_at) values ${values}`);
}

const labels = async (server: TestServer, endpointId: string) =>
  (await server.query<{ message_id: string }>(`select message_id from webhook_deliveries where endpoint_id = '${endpointId}' order by message_id`)).map(
    (r) => r.message_id,
  );

describe('webhook delivery-log retention', () => {
  test.beforeAll(startApi);

  test('the cleanup job deletes finished deliveries past WEBHOOK_LOG_RETENTION and keeps pending and recent ones', async ({ server }) => {
    const endpointId = await seedEndpoint(server);
    await seedDeliveries(server, endpointId, [
      ['delivered-old', 'succeeded', 40],
      ['given-up-old', 'failed', 40],
      ['pending-old', 'pending', 40],
      ['delivered-recent', 'succeeded', 5],
      ['given-up-recent', 'failed', 5],
    ]);
    // The default keeps 30 days.
    expect(server.ctx.config.WEBHOOK_LOG_RETENTION).toBe(30 * DAY_MS);
    const report = await runCleanup(server.ctx.db, server.ctx.config);
    expect(report.ran).toBe(true);
    expect(report.webhookDeliveries).toBe(2);
    expect(await labels(server, endpointId)).toEqual(['delivered-recent', 'given-up-recent', 'pending-old']);

    // A shorter setting reaches the recent ones too; a pending delivery is still kept.
    const shorter = await runCleanup(server.ctx.db, { ...server.ctx.config, WEBHOOK_LOG_RETENTION: 1 * DAY_MS });
    expect(shorter.webhookDeliveries).toBe(2);
    expect(await labels(server, endpointId)).toEqual(['pending-old']);
  });

  test('a backlog larger than one batch is deleted batch by batch, oldest first', async ({ server }) => {
    const endpointId = await seedEndpoint(server);
    const rows: [string, string, number][] = Array.from({ length: 7 }, (_, i) => [`old-${i}`, i % 2 ? 'failed' : 'succeeded', 60 + i]);
    await seedDeliveries(server, endpointId, [...rows, ['keep', 'succeeded', 1]]);
    const cutOff = new Date(Date.now() - 30 * DAY_MS);
    // Batches of 3: 3 + 3 + 1, the short batch ends the round.
    expect(await deleteOldDeliveries(server.ctx.db, cutOff, 3)).toBe(7);
    expect(await labels(server, endpointId)).toEqual(['keep']);
    expect(await deleteOldDeliveries(server.ctx.db, cutOff, 3)).toBe(0);
  });
});
