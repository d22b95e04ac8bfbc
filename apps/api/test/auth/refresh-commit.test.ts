import { describe, expect } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { registerUser, request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { statementName } from '../../src/db/namedStatement.js';
import { FIRST_USE_LABEL } from '../../src/services/refreshFirstUse.js';

const test = apiTest(CORE_ENV);

/**
 * A refresh whose rotation has committed must answer with the successor: the presented token is
 * spent, so a 503 then would leave the client with nothing (issue 17, item 11). The database is
 * made to fail for every query outside a transaction the moment a rotation commits: the refresh
 * must need nothing more from it (a transaction, or the single statement of the common case).
 */
describe('refresh after the rotation committed', () => {
  test.beforeAll(startApi);

  test('answers 200 with the successor even when the database fails right after the commit', async ({ server }) => {
    const alice = await registerUser(server.url);
    const db = server.ctx.db;
    const realTransaction = db.transaction.bind(db);
    const realSelect = db.select.bind(db);
    const session = db._.session;
    const realPrepare = session.prepareQuery.bind(session);
    let failing = false;
    let rotatedBySingleStatement = false;
    const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    // Only this refresh's own work: once its transaction has committed, the database "goes away".
    db.transaction = (async (...args: Parameters<typeof db.transaction>) => {
      const result = await realTransaction(...args);
      failing = true;
      return result;
    }) as typeof db.transaction;
    db.select = ((...args: Parameters<typeof db.select>) => {
      if (failing) throw lost();
      return realSelect(...args);
    }) as typeof db.select;
    // The common rotation is one statement that commits on its own (services/refreshFirstUse.ts):
    // once it has answered, every query outside a transaction fails too.
    session.prepareQuery = ((...args: Parameters<typeof session.prepareQuery>) => {
      if (failing) throw lost();
      const prepared = realPrepare(...args);
      if (args[2] !== statementName(FIRST_USE_LABEL, args[0].sql)) return prepared;
      const realExecute = prepared.execute.bind(prepared);
      prepared.execute = (async (...a: Parameters<typeof prepared.execute>) => {
        const result = await realExecute(...a);
        rotatedBySingleStatement = (result as { rows: unknown[] }).rows.length === 1;
        failing = true;
        return result;
      }) as typeof prepared.execute;
      return prepared;
    }) as typeof session.prepareQuery;
    try {
      const res = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.email).toBe(alice.email);
      expect(failing, 'the rotation committed before the answer').toBe(true);
      expect(rotatedBySingleStatement, 'the first use of a live token is rotated by the single statement').toBe(true);
    } finally {
      db.transaction = realTransaction;
      db.select = realSelect;
      session.prepareQuery = realPrepare;
    }
  });
});
