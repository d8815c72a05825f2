// The handshakes the network saw (the background's webRequest listener) set
// beside the sockets the shims reported: a handshake no reported socket
// accounts for belongs to a socket Sockscope does not instrument (a worker's,
// say), which the panel lists as such.
import type { Handshake } from '../../shim/wire/messages';
import type { SocketInfo } from '../../shim/wire/records';

/** A socket and its handshake start within this of each other (the page's clock and the background's read the same time). */
export const MATCH_MS = 5_000;
/** Handshakes the panel keeps, newest kept. */
export const HANDSHAKES_KEPT = 1_000;

/** The handshakes no socket accounts for: each socket takes the nearest in time of those to its URL, once. */
export function uninstrumented(handshakes: readonly Handshake[], sockets: readonly Pick<SocketInfo, 'url' | 'createdAt'>[]): Handshake[] {
  const left = new Set(handshakes);
  for (const socket of sockets) {
    let nearest: Handshake | null = null;
    for (const handshake of left) {
      const distance = Math.abs(handshake.at - socket.createdAt);
      if (handshake.url === socket.url && distance <= MATCH_MS && (nearest === null || distance < Math.abs(nearest.at - socket.createdAt))) nearest = handshake;
    }
    if (nearest) left.delete(nearest);
  }
  return [...left];
}
