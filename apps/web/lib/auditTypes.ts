/** Every event type the API records (apps/api/src/services/audit.ts; a test keeps the two equal), for the audit log's filter. */
export const AUDIT_EVENT_TYPES = [
  'user.registered', 'login.succeeded', 'login.failed', 'mfa.enabled', 'mfa.disabled', 'mfa.failed', 'mfa.setup_started', 'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated', 'mfa.reset', 'mfa.locked', 'refresh.reuse_detected', 'logout', 'logout.all', 'session.revoked', 'password.changed',
  'password.change_failed', 'password.reset_requested', 'password.reset', 'email.verification_sent', 'email.verified', 'user.updated', 'user.email_changed',
  'user.role_changed',
  'user.deleted', 'user.sessions_revoked', 'project.updated', 'project.deleted', 'oauth.linked', 'oauth.unlinked', 'keys.rotated',
];
