// Branding from the environment (APP_NAME, APP_LOGO_URL, APP_ACCENT_COLOR), read on the server at
// request time so one build serves any team's name. Bad values are ignored, never injected.
export interface Branding {
  appName: string;
  /** An https: (or same-origin /path) image URL, or undefined for the letter mark. */
  logoUrl?: string;
  /** `#rgb` or `#rrggbb`, or undefined for the default indigo. */
  accentColor?: string;
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export function brandingFrom(env: Record<string, string | undefined>): Branding {
  const appName = env.APP_NAME?.trim().slice(0, 60) || 'Portcullis';
  const logo = env.APP_LOGO_URL?.trim();
  const logoUrl = logo && (isHttpsUrl(logo) || /^\/[^/\s"'<>][^\s"'<>]*$/.test(logo)) ? logo : undefined;
  const accent = env.APP_ACCENT_COLOR?.trim();
  return { appName, logoUrl, accentColor: accent && HEX.test(accent) ? accent : undefined };
}

export function getBranding(): Branding {
  return brandingFrom(process.env);
}

function isHttpsUrl(value: string): boolean {
  if (/[\s"'<>]/.test(value)) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
