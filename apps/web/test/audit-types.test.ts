import { describe, expect, it } from 'vitest';
import { AUDIT_TYPES } from '../../api/src/services/audit.js';
import { AUDIT_EVENT_TYPES } from '../lib/auditTypes.js';

describe('the audit log filter', () => {
  it('offers exactly the event types the API records', () => {
    expect([...AUDIT_EVENT_TYPES].sort()).toEqual([...AUDIT_TYPES].sort());
  });
});
