// A webhook URL must not point into our own network (SSRF): loopback, private, link-local,
// carrier-grade NAT and unique-local addresses are refused, by name as well as by address
// (the name is resolved; every address it resolves to must be public), at subscription and
// again before each delivery (a name can be re-pointed later). WEBHOOK_ALLOW_PRIVATE=true
// lifts it, for receivers inside the same network.
import dns from 'node:dns/promises';
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [addr, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(addr, prefix, 'ipv4');
}
for (const [addr, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(addr, prefix, 'ipv6');

function isPrivate(address: string): boolean {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as IPv4.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? PRIVATE.check(mapped, 'ipv4') : PRIVATE.check(address, family);
}

/** Why this URL may not receive webhooks, in words; null when it may. */
export async function webhookUrlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'use an http:// or https:// URL';
  if (u.username || u.password) return 'credentials in the URL are not allowed (the signature authenticates us)';
  if (allowPrivate) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `the host ${host} does not resolve`;
    }
  }
  const inside = addresses.find(isPrivate);
  return inside ? `${host} is a private or loopback address (${inside}); set WEBHOOK_ALLOW_PRIVATE=true to allow receivers inside your network` : null;
}
