// For the tests: the frames of a log a slot test accepts.
import type { FrameLog } from './frame-log';

/** Indices of the held frames whose slot `keep` accepts, oldest first. */
export function select(log: FrameLog, keep: (slot: number) => boolean): number[] {
  const out: number[] = [];
  log.scan(log.first, (index, slot) => keep(slot) && out.push(index));
  return out;
}
