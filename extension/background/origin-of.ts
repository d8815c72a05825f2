/** A URL's origin; null for none or an opaque one (about:blank, data:, sandboxed). */
export function originOf(url: string | undefined): string | null {
  try {
    const { origin } = new URL(url ?? '');
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** `http://host:port` → `http://host/*` (IPv6 hosts keep their brackets): Firefox's match patterns take no port. */
export function matchPattern(origin: string): string {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}
