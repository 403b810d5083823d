/**
 * Address rendering as libsinsp prints it: IPv4 dotted quads, IPv6 compressed (RFC 5952),
 * `ip:port->ip:port` tuples, unix socket `src->dst path` names.
 * @module
 */

/** Renders an IPv4 number (a<<24|b<<16|c<<8|d) or IPv6 bigint. */
export function ipToString(a: number | bigint): string {
  if (typeof a === 'number') return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped addresses print as dotted quads, as libsinsp does for ::ffff:a.b.c.d
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipToString(Number(a & 0xffffffffn));
  }
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** `ip:port`. */
export function endpoint(ip: number | bigint, port: number): string {
  return `${ipToString(ip)}:${port}`;
}

/** `sip:sport->dip:dport`. */
export function tupleName(sip: number | bigint, sport: number, dip: number | bigint, dport: number): string {
  return `${endpoint(sip, sport)}->${endpoint(dip, dport)}`;
}

/** Unix socket fd.name: `<src hex>-><dst hex> <path>` (0 prints as `0`). */
export function unixName(source: bigint, dest: bigint, path: string): string {
  return `${source.toString(16)}->${dest.toString(16)}${path ? ' ' + path : ''}`;
}

/** True for 0.0.0.0 / :: (unbound) addresses. */
export function isZero(a: number | bigint | undefined): boolean {
  return a === 0 || a === 0n;
}
