/**
 * A minimal browser for the protocol tests: a cookie jar (per host, honouring Path and Max-Age=0),
 * manual redirects, and the OpenID Provider's own login and consent forms filled in over HTTP.
 * Requests to the web app's origin go to the API, as the web app's /api proxy does.
 */

interface StoredCookie {
  value: string;
  path: string;
}

export interface Page {
  status: number;
  location: string | undefined;
  headers: Headers;
  text: string;
  setCookies: string[];
}

export class Browser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  constructor(
    private readonly webUrl: string,
    private readonly apiUrl: string,
  ) {}

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name)?.value;
  }

  /** The names of the cookies this browser holds for `url`'s host. */
  cookieNames(url: string): string[] {
    return [...(this.jar.get(new URL(url).host)?.keys() ?? [])];
  }

  setCookie(url: string, name: string, value: string, path = '/'): void {
    const host = new URL(url).host;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, { value, path });
  }

  deleteCookie(url: string, name: string): void {
    this.jar.get(new URL(url).host)?.delete(name);
  }

  async request(method: string, url: string, options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, StoredCookie>()).entries()]
      .filter(([, c]) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([k, c]) => `${k}=${c.value}`);
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) OAuthTest', ...options.headers };
    if (cookies.length) headers.cookie = cookies.join('; ');
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const physical = target.origin === new URL(this.webUrl).origin ? this.apiUrl + target.pathname + target.search : url;
    const res = await fetch(physical, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) this.store(target, line);
    const location = res.headers.get('location') ?? undefined;
    return { status: res.status, location: location ? new URL(location, url).toString() : undefined, headers: res.headers, text: await res.text(), setCookies };
  }

  get(url: string, headers?: Record<string, string>): Promise<Page> {
    return this.request('GET', url, { headers });
  }

  private store(url: URL, line: string): void {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    let path = '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [k, v] = attribute.split('=');
      if (k!.toLowerCase() === 'path' && v) path = v;
      if (k!.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      if (k!.toLowerCase() === 'expires' && v && Date.parse(v) < Date.now()) expired = true;
    }
    if (!this.jar.has(url.host)) this.jar.set(url.host, new Map());
    if (expired) this.jar.get(url.host)!.delete(name);
    else this.jar.get(url.host)!.set(name, { value, path });
  }

  /**
   * Follows redirects from `url` through the provider's login and consent pages until the
   * provider sends the browser back to the web app; returns that callback URL (not yet visited).
   */
  async throughProvider(url: string, options: { login: string; consent?: 'allow' | 'deny' }): Promise<string> {
    let next = url;
    for (let hop = 0; hop < 20; hop += 1) {
      if (next.startsWith(this.webUrl)) return next;
      const page = await this.get(next);
      if (page.status >= 300 && page.status < 400 && page.location) {
        next = page.location;
        continue;
      }
      if (page.status !== 200) throw new Error(`provider answered ${page.status}: ${page.text.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(page.text)?.[1];
      if (!action || !prompt) throw new Error(`unexpected provider page: ${page.text.slice(0, 300)}`);
      if (options.consent === 'deny') {
        const abort = /href="([^"]*\/abort)"/.exec(page.text)?.[1];
        next = new URL(abort!.replace(/&amp;/g, '&'), next).toString();
        continue;
      }
      const form: Record<string, string> = prompt === 'login' ? { prompt, login: options.login, password: 'any-password' } : { prompt };
      const submitted = await this.request('POST', new URL(action.replace(/&amp;/g, '&'), next).toString(), { form });
      if (!submitted.location) throw new Error(`provider form answered ${submitted.status}: ${submitted.text.slice(0, 300)}`);
      next = submitted.location;
    }
    throw new Error('too many redirects at the provider');
  }
}
