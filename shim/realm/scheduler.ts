// Shaping's clock in the page: the shim's own time source and timers, saved
// before page code runs.
import { Deque } from './deque';
import { addEventListener, channelPort1, channelPort2, clearTimeout, NativeMessageChannel, now, portPostMessage, portStart, setTimeout } from './natives';
import type { Scheduler } from '../shaping/stage';

/**
 * Tasks through a private message channel: unlike a timer, a message is not
 * clamped to 4 ms when tasks chain, nor throttled in a background tab.
 */
function taskQueue(): (fn: () => void) => void {
  const waiting = new Deque<() => void>();
  let port: MessagePort | null = null;
  return (fn) => {
    if (!port) {
      const channel = new NativeMessageChannel();
      const receiver = channelPort2(channel);
      addEventListener(receiver, 'message', () => (waiting.shift() as () => void)());
      portStart(receiver);
      port = channelPort1(channel);
    }
    waiting.push(fn);
    portPostMessage(port, null);
  };
}

export const realScheduler: Scheduler = {
  now,
  at(time, fn) {
    const timer = setTimeout(fn, time - now());
    return () => clearTimeout(timer);
  },
  nextTask: taskQueue(),
};
