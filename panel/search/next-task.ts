// Runs a function in a task of its own, as soon as the thread is free: a
// search that takes turns with another thread reads that thread's messages
// between turns. setTimeout(0) would do, but waits 4 ms once nested.

const queue: (() => void)[] = [];
let channel: MessageChannel | null = null;

export function nextTask(run: () => void): void {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  }
  queue.push(run);
  channel.port2.postMessage(null);
}
