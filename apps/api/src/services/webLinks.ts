import { webPageUrl, type WebPage } from '@portcullis/contract/webPages';
import type { Config } from '../config.js';

/** Links into the web app (mails, redirects), all from WEB_URL and the contract's page list. */
export const webLink = (config: Pick<Config, 'WEB_URL'>, page: WebPage, query?: Record<string, string>) => webPageUrl(config.WEB_URL, page, query);
