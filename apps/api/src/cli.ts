import { Command, InvalidArgumentError, Option } from 'commander';
import { ROLES, type Role } from './db/schema.js';
import { listUsers } from './services/admin.js';
import { recordAudit } from './services/audit.js';
import { createAdmin } from './services/bootstrap.js';
import type { RotationChange } from './services/keyRing.js';
import { resetMfa } from './services/mfaReset.js';
import { changeRole } from './services/roles.js';
import { revokeUserSessions } from './services/sessions.js';
import { findUser, readPassword, reportError, withContext } from './cli/support.js';

/**
 * The operator's command line: `npm run cli -- <command>`. It uses the server's configuration
 * (.env, DATABASE_URL, DATA_DIR) and database. With the embedded database (no DATABASE_URL) it
 * cannot run while the server has the database open, and says so; with PostgreSQL it can, and
 * running servers pick up its changes (revocations, keys) at once.
 */

const program = new Command()
  .name('portcullis')
  .description('Administer a Portcullis installation: admins, roles, sessions, two-step verification and signing keys.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nUses the same configuration as the API server (.env, DATABASE_URL, DATA_DIR relative to the repository root).\n' +
      'With the embedded database, stop the API server first; with PostgreSQL the CLI runs beside it.',
  );

const positiveInt = (name: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
  return n;
};

const role = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')}.`);
  return value as Role;
};

program
  .command('create-admin')
  .description('Create an admin account. The password is read from standard input (typed without echo, or piped), never from an argument.')
  .requiredOption('--email <email>', "the admin's email address")
  .option('--name <displayName>', "the admin's display name", 'Administrator')
  .action(async (options: { email: string; name: string }) => {
    const password = await readPassword();
    await withContext(async (ctx) => {
      const user = await createAdmin(ctx, { email: options.email, password, displayName: options.name }, { via: 'cli' });
      // Only onlyIfNoAdmin (not used here) makes createAdmin return nothing.
      if (!user) throw new Error('createAdmin created no user');
      console.log(`Created admin ${user.email} (${user.id}).`);
    });
  });

program
  .command('set-role')
  .description("Change a user's role; their tokens that carry the old role are refused at once. Refuses to remove the last admin.")
  .argument('<user>', 'email address or user id')
  .argument('<role>', `one of ${ROLES.join(', ')}`, role)
  .action(async (who: string, newRole: Role) => {
    await withContext(async (ctx) => {
      const user = await findUser(ctx, who);
      const changed = await changeRole(ctx, user.id, newRole, { actorId: null, via: 'cli' });
      console.log(user.role === changed.role ? `${changed.email} already has the role ${changed.role}.` : `${changed.email}: ${user.role} → ${changed.role}.`);
    });
  });

program
  .command('revoke-sessions')
  .description('Sign a user out everywhere: every session is revoked and its access tokens refused at once.')
  .argument('<user>', 'email address or user id')
  .action(async (who: string) => {
    await withContext(async (ctx) => {
      const user = await findUser(ctx, who);
      const count = await revokeUserSessions(ctx, user.id, {
        reason: 'revoked_by_admin',
        audit: { type: 'user.sessions_revoked', actorId: null, meta: { ip: null, userAgent: 'portcullis-cli' }, details: { via: 'cli' } },
      });
      console.log(`Revoked ${count} session${count === 1 ? '' : 's'} of ${user.email}.`);
    });
  });

program
  .command('reset-mfa')
  .description(
    "Reset a user's two-step verification: their authenticator app and recovery codes stop working, wrong-code lock-outs are cleared, every session is signed out, and they are mailed. For a lost phone, or a factor enrolled by someone else.",
  )
  .argument('<user>', 'email address or user id')
  .action(async (who: string) => {
    await withContext(async (ctx) => {
      const user = await findUser(ctx, who);
      const { sessionsRevoked } = await resetMfa(ctx, user.id, { actorId: null, via: 'cli', meta: { ip: null, userAgent: 'portcullis-cli' } });
      console.log(`Two-step verification reset for ${user.email}; ${sessionsRevoked} session${sessionsRevoked === 1 ? '' : 's'} signed out. They were mailed.`);
    });
  });

program
  .command('rotate-keys')
  .description('Start signing with a new key now. Tokens signed with the old key stay valid until they expire.')
  .action(async () => {
    await withContext(async (ctx) => {
      let change: RotationChange | undefined;
      await ctx.keyRing.rotate(true, async (tx, rotated) => {
        change = rotated;
        await recordAudit(tx, {
          type: 'keys.rotated',
          userId: null,
          actorId: null,
          details: { kid: rotated.kid, retiredKid: rotated.retiredKid, trigger: 'cli' },
        });
      });
      // Running servers reload their key ring at once (and within a minute even if this is missed).
      await ctx.bus.publish({ type: 'keys' });
      if (!change) throw new Error('key rotation recorded no change');
      console.log(
        `Signing key rotated: ${change.retiredKid ?? '(none)'} → ${change.kid}. The new key is published now and signs from ${change.activatesAt} (KEY_PREPUBLISH); the old key signs until then and stays published until its tokens expire.`,
      );
    });
  });

program
  .command('list-users')
  .description('List users, newest first, optionally matching an email or name.')
  .option('--query <text>', 'part of an email address or display name (case-insensitive)')
  .addOption(new Option('--page <n>', 'page number').default(1).argParser(positiveInt('page', 100_000)))
  .addOption(new Option('--limit <n>', 'users per page').default(20).argParser(positiveInt('limit', 100)))
  .option('--json', 'print JSON instead of a table')
  .action(async (options: { query?: string; page: number; limit: number; json?: boolean }) => {
    await withContext(async (ctx) => {
      const { users, total } = await listUsers(ctx.db, { query: options.query?.trim() || undefined }, { page: options.page, limit: options.limit });
      if (options.json) {
        console.log(JSON.stringify({ users, total, page: options.page, limit: options.limit }, null, 2));
        return;
      }
      const rows = users.map((u) => [u.id, u.role, u.email, u.displayName, u.createdAt.slice(0, 10)]);
      const widths = [36, 9, 32, 24, 10];
      const line = (cells: string[]) =>
        cells
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd();
      console.log(line(['ID', 'ROLE', 'EMAIL', 'NAME', 'CREATED']));
      for (const r of rows) console.log(line(r));
      console.log(`${total} user${total === 1 ? '' : 's'} in all; page ${options.page}, ${options.limit} per page.`);
    });
  });

program.parseAsync(process.argv).catch((error) => {
  reportError(error);
});
