/** A URL's origin; null for none or an opaque one (about:blank, data:, sandboxed). */
export function originOf(url: string | undefined): string | null {
  try {
    const { origin } = new URL(url ?? '');
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
