import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Request } from 'express';

/**
 * "Is this request from a process on this machine?", for development-only routes (the mail
 * outbox). Every address the request names must be loopback: the socket's peer, the client
 * address Express derives from it under TRUST_PROXY (`req.ip`), and any address a proxy says it
 * forwarded for. Relayed by the web app's proxy (server.mjs) for a remote browser, the socket is
 * loopback but X-Forwarded-For names the remote client: refused, whatever TRUST_PROXY says, so a
 * proxy in front of an API that was not told to trust it (TRUST_PROXY unset) cannot leak it either.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1, and 127.x written IPv4-mapped (`::ffff:127.0.0.1`, as a dual-stack socket reports it). */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const value = address.trim().toLowerCase();
  const unmapped = value.startsWith('::ffff:') ? value.slice('::ffff:'.length) : value;
  if (isIPv4(unmapped)) return LOOPBACK.check(unmapped, 'ipv4');
  if (isIPv6(value)) return LOOPBACK.check(value, 'ipv6');
  return false; // a host name, a port, brackets, garbage: not provably loopback
}

/** The addresses proxies say they forwarded for (X-Forwarded-For, X-Real-IP), each hop on its own. */
function forwardedFor(req: Request): string[] {
  const hops = [req.headers['x-forwarded-for'], req.headers['x-real-ip']].flat().filter((v): v is string => typeof v === 'string');
  return hops.flatMap((header) => header.split(',')).map((hop) => hop.trim());
}

export function isLoopbackClient(req: Request): boolean {
  const socketIsLoopback = isLoopbackAddress(req.socket.remoteAddress);
  const clientIsLoopback = isLoopbackAddress(req.ip);
  // RFC 7239 `Forwarded` is not parsed anywhere here: a request carrying it was relayed by
  // something whose client we cannot see, so it is not provably local.
  const noForwardedHeader = req.headers.forwarded === undefined;
  const everyForwardedHopIsLoopback = forwardedFor(req).every(isLoopbackAddress);
  return socketIsLoopback && clientIsLoopback && noForwardedHeader && everyForwardedHopIsLoopback;
}
