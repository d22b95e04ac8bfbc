import { UAParser } from 'ua-parser-js';

/** A name a person recognises for the device a session came from, such as "Firefox on Windows". */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os, device } = UAParser(userAgent);
  const app = browser.name ?? (device.model ? `${device.vendor ?? ''} ${device.model}`.trim() : undefined);
  if (app && os.name) return `${app} on ${os.name}`;
  return app ?? os.name ?? userAgent.split(/[\s/]/)[0]?.slice(0, 40) ?? 'Unknown device';
}
