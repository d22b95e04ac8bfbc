import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * SSRF care for webhook targets: an admin-supplied URL must not reach the server's own network
 * (loopback, private ranges, link-local cloud metadata at 169.254.169.254, unique-local IPv6)
 * unless WEBHOOK_ALLOW_PRIVATE says so. Checked when an endpoint is saved (a clear 400) and again
 * at every connection, through the socket's own DNS lookup, so a name that resolves differently
 * later (DNS rebinding) still cannot reach a private address.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IP literal) is private, loopback, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped) return blocked.check(mapped, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export class PrivateTargetError extends Error {
  override name = 'PrivateTargetError';
}

/** A DNS lookup for http.request that refuses private answers unless `allowPrivate`. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      const first = usable[0];
      if (!first) return callback(new PrivateTargetError(`${hostname} resolves only to private addresses`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, first.address, first.family);
    });
  };
}

/** Why `url` may not be a webhook target, or undefined when it may. Resolves the name once. */
export async function targetProblem(url: string, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host) ? 'url must not point to a private, loopback or link-local address.' : undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'url must not point to a private, loopback or link-local address.';
  const addresses = await new Promise<LookupAddress[]>((resolve) => dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)));
  if (addresses.length === 0) return 'url names a host that does not resolve.';
  if (addresses.some((a) => isPrivateAddress(a.address))) return 'url must not point to a private, loopback or link-local address.';
  return undefined;
}
