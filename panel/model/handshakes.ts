// The handshakes the network saw (the background's webRequest listener) set
// beside the sockets the shims reported: a handshake no reported socket
// accounts for belongs to a socket Sockscope does not instrument (a worker's,
// say), which the panel lists as such.
import type { Handshake } from '../../shim/wire/messages';
import type { SocketInfo } from '../../shim/wire/records';
import { oneLine } from './format';

/** A socket and its handshake start within this of each other (the page's clock and the background's read the same time). */
export const MATCH_MS = 5_000;
/** Handshakes the panel keeps, newest kept. */
export const HANDSHAKES_KEPT = 1_000;

type Socket = Pick<SocketInfo, 'url' | 'createdAt'>;

/** The socket's handshake: of those to its URL that started within MATCH_MS of it, the nearest in time; null when none did. */
export function handshakeOf(handshakes: Iterable<Handshake>, socket: Socket): Handshake | null {
  let nearest: Handshake | null = null;
  for (const handshake of handshakes) {
    const distance = Math.abs(handshake.at - socket.createdAt);
    if (handshake.url === socket.url && distance <= MATCH_MS && (nearest === null || distance < Math.abs(nearest.at - socket.createdAt))) nearest = handshake;
  }
  return nearest;
}

/** The handshakes no socket accounts for: each socket takes its own (`handshakeOf`) of those left, once. */
export function uninstrumented(handshakes: readonly Handshake[], sockets: readonly Socket[]): Handshake[] {
  // By URL: a socket looks only at the handshakes to its own.
  const byUrl = new Map<string, Set<Handshake>>();
  for (const handshake of handshakes) {
    const same = byUrl.get(handshake.url);
    if (same) same.add(handshake);
    else byUrl.set(handshake.url, new Set([handshake]));
  }
  const taken = new Set<Handshake>();
  for (const socket of sockets) {
    const same = byUrl.get(socket.url);
    const own = same && handshakeOf(same, socket);
    if (!own) continue;
    same.delete(own);
    taken.add(own);
  }
  return handshakes.filter((handshake) => !taken.has(handshake));
}

/** How a handshake went, in a word or two. */
export function handshakeOutcome(handshake: Handshake): string {
  if (handshake.error !== null) return `failed: ${oneLine(handshake.error, 120)}`;
  if (handshake.status === null) return 'connecting';
  return handshake.status === 101 ? 'opened' : `refused (${handshake.status})`;
}
