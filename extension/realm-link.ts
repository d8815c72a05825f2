// One realm's shim as the extension meets it, whichever way it comes: a
// document's or a worker's over the bridge content script, a Chromium service
// worker's over the debugger (background/service-worker-realms.ts). What the
// shim says is checked and bounded, since page code could forge it: its hello
// comes first and names the one instance the link speaks for. The panel's seq
// marks, one per instance, become that shim's own.
import { envelope, type ContentCommand, type ShimCommand, type ShimCommands, type ShimEvent } from '../shim/wire/messages';
import { isSocketCommand, readShimEvent } from '../shim/wire/readers';

export class RealmLink {
  /** The shim's hello, once it said it. */
  hello: ShimEvent | null = null;

  constructor(private readonly toShim: (command: ShimCommand) => void) {}

  /** What the shim said, checked: its first hello, then its own instance's events; null for anything else. */
  fromShim(data: unknown): ShimEvent | null {
    const message = readShimEvent(data);
    if (!message) return null;
    if (message.type === 'hello') {
      if (this.hello) return null;
      this.hello = message;
      return message;
    }
    return message.instance === this.hello?.instance ? message : null;
  }

  /** A command from the background, for this shim. */
  command(command: ContentCommand): void {
    if (isSocketCommand(command)) return this.toShim(command);
    if (command.type === 'unsubscribe') return this.unsubscribe();
    const mark = this.hello ? command.since[this.hello.instance] : undefined;
    this.toShim(envelope<ShimCommands, 'subscribe'>('subscribe', { since: mark ?? 0 }));
  }

  /** The shim stops its live batches (no panel can hear them). */
  unsubscribe(): void {
    this.toShim(envelope<ShimCommands, 'unsubscribe'>('unsubscribe', {}));
  }
}
