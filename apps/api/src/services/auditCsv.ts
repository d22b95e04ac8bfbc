import { adminConsole } from '@portcullis/contract';

/**
 * The audit log as CSV (RFC 4180): one header line, then one line per event. A cell that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first: display
 * names and user agents are anyone's text) is prefixed with `'` (OWASP "CSV injection").
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const auditCsvHeader = `${adminConsole.AUDIT_CSV_COLUMNS.join(',')}\r\n`;

export function auditCsvLine(e: adminConsole.AuditEntry): string {
  const cells = [
    e.createdAt,
    e.type,
    e.user?.email,
    e.user?.displayName,
    e.userId,
    e.actor?.email,
    e.actor?.displayName,
    e.actorId,
    e.ip,
    e.userAgent,
    Object.keys(e.details).length ? JSON.stringify(e.details) : '',
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
