// The admin console's calls (not in the contract: extensions, `manage_users`), typed by their
// endpoint definitions in @portcullis/contract (routes/adminConsole.ts). Reached as `client.admin`.
import type { admin, adminConsole, BodyInputOf, QueryOf, ResponseOf } from '@portcullis/contract';
import { jsonPost, readJson } from '#sdk/http';

type Endpoints = typeof adminConsole;
type ContractEndpoints = typeof admin;
export type AdminUser = adminConsole.AdminUser;
export type AuditEntry = adminConsole.AuditEntry;
export type AdminAccountList = ResponseOf<Endpoints['listAccounts']>;
export type AdminAccount = ResponseOf<Endpoints['getAccount']>;
export type AuditLogPage = ResponseOf<Endpoints['listAuditLog']>;
/** The audit log's filters (`page`, `limit` optional); the export takes the same without them. */
export type AuditLogQuery = Partial<QueryOf<Endpoints['listAuditLog']>>;
export type AccountListQuery = Partial<QueryOf<Endpoints['listAccounts']>>;

export interface AdminConsoleClient {
  /** Users with status columns (locked, last sign-in, sign-in methods) and the number of admins. */
  accounts(query?: AccountListQuery): Promise<AdminAccountList>;
  /** One user: status, live sessions, linked providers, recent audit events. NOT_FOUND. */
  account(userId: string): Promise<AdminAccount>;
  /**
   * The contract's role change. A role with more rights outlives your access token: it needs a
   * sign-in of the last 10 minutes or `password` (INVALID_CREDENTIALS otherwise). LAST_ADMIN.
   */
  changeRole(userId: string, input: BodyInputOf<ContractEndpoints['changeRole']>): Promise<ResponseOf<ContractEndpoints['changeRole']>['user']>;
  /** Creates an account without a password and mails it a link to set one. EMAIL_TAKEN. */
  inviteUser(input: BodyInputOf<Endpoints['inviteUser']>): Promise<AdminUser>;
  /** No sign-in or refresh until unlocked; every session ends now. FORBIDDEN (oneself), CONFLICT (already locked). */
  lockUser(userId: string, reason: string): Promise<{ user: AdminUser; sessionsRevoked: number }>;
  unlockUser(userId: string): Promise<AdminUser>;
  /** Mails the user a password-reset link. */
  sendPasswordReset(userId: string): Promise<void>;
  /** Ends one live session of the user. NOT_FOUND when it is not one. */
  revokeUserSession(userId: string, sessionId: string): Promise<void>;
  auditLog(query?: AuditLogQuery): Promise<AuditLogPage>;
  /** The filtered audit log as CSV: the streamed response, for the caller to read or save. */
  exportAuditLog(query?: Omit<AuditLogQuery, 'page' | 'limit'>): Promise<Response>;
}

/** `?a=1&b=2` from the defined values; '' when there are none. */
export function queryOf(query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function adminConsoleCalls(fetchAuthed: (path: string, init?: RequestInit) => Promise<Response>): AdminConsoleClient {
  const json = async <T>(path: string, init?: RequestInit) => readJson<T>(await fetchAuthed(path, init));
  const user = (id: string) => `/api/admin/users/${encodeURIComponent(id)}`;
  return {
    accounts: (query) => json(`/api/admin/accounts${queryOf(query)}`),
    account: (userId) => json(`/api/admin/accounts/${encodeURIComponent(userId)}`),
    async changeRole(userId, input) {
      return (await json<ResponseOf<ContractEndpoints['changeRole']>>(user(userId), { ...jsonPost(input), method: 'PATCH' })).user;
    },
    async inviteUser(input) {
      return (await json<{ user: AdminUser }>('/api/admin/users', jsonPost(input))).user;
    },
    lockUser: (userId, reason) => json(`${user(userId)}/lock`, jsonPost({ reason })),
    async unlockUser(userId) {
      return (await json<{ user: AdminUser }>(`${user(userId)}/unlock`, jsonPost({}))).user;
    },
    async sendPasswordReset(userId) {
      await json<void>(`${user(userId)}/password-reset`, jsonPost({}));
    },
    async revokeUserSession(userId, sessionId) {
      await json<void>(`${user(userId)}/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' });
    },
    auditLog: (query) => json(`/api/admin/audit-log${queryOf(query)}`),
    async exportAuditLog(query) {
      const res = await fetchAuthed(`/api/admin/audit-log/export${queryOf(query)}`);
      if (!res.ok) await readJson<never>(res); // throws the answer's AuthError
      return res;
    },
  };
}
