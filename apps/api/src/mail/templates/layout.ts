/**
 * The one layout every message uses, in plain text and HTML. Everything interpolated into the
 * HTML goes through escapeHtml: display names are user input, and a mail client renders HTML.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContent {
  subject: string;
  greetingName: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Shown after the action, e.g. how long a link stays valid and what to do if unexpected. */
  footer: string[];
}

/** APP_NAME, APP_LOGO_URL and APP_ACCENT_COLOR (config.ts): the name, mark and colour every message carries. */
export interface MailBrand {
  appName: string;
  logoUrl?: string;
  accentColor?: string;
}

const DEFAULT_BRAND: MailBrand = { appName: 'Portcullis' };
let brand: MailBrand = DEFAULT_BRAND;

/**
 * Set once when the server's context is made (server.ts createContext), before any mail is
 * rendered: the templates are plain functions called from many services, and the brand is
 * process-wide configuration like the logger's level.
 */
export function setMailBrand(next: Partial<MailBrand> & { appName?: string | undefined }): void {
  brand = { appName: next.appName || DEFAULT_BRAND.appName, logoUrl: next.logoUrl, accentColor: next.accentColor };
}

/** The product's name as the mails say it. */
export function appName(): string {
  return brand.appName;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Names go into a subject-free greeting line only; control characters are already refused at sign-up. */
export function renderMail(content: MailContent): RenderedMail {
  const text = [
    `Hello ${content.greetingName},`,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    ...content.footer.flatMap((p) => [p, '']),
    `— ${brand.appName}`,
  ].join('\n');

  const p = (body: string) => `<p style="margin:0 0 16px">${escapeHtml(body)}</p>`;
  const button = content.action
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:10px 18px;background:${brand.accentColor ?? '#1f2937'};color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(content.action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">Or paste this link into your browser: ${escapeHtml(content.action.url)}</p>`
    : '';
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;line-height:1.5;color:#111827;max-width:560px;margin:0 auto;padding:24px">',
    ...(brand.logoUrl ? [`<p style="margin:0 0 20px"><img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.appName)}" height="40"></p>`] : []),
    p(`Hello ${content.greetingName},`),
    ...content.paragraphs.map(p),
    button,
    ...content.footer.map((f) => `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">${escapeHtml(f)}</p>`),
    `<p style="margin:0">— ${escapeHtml(brand.appName)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject: content.subject, text, html };
}
