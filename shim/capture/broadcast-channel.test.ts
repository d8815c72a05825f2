// Firefox's service-worker channel, engine side, over Node's BroadcastChannel:
// the engine takes the name from the global, and answers each client by name.
import { afterEach, describe, expect, it } from 'vitest';
import { fromBroadcast } from './broadcast-channel';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const closable of opened.splice(0)) closable.close();
});

/** A bridge's end of the channel: what it heard, and how to say something. */
function bridge(name: string) {
  const channel = new BroadcastChannel(name);
  opened.push(channel);
  const heard: unknown[] = [];
  channel.onmessage = (event) => heard.push(event.data);
  return { heard, say: (message: unknown) => channel.postMessage(message) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('a service worker engine reached over a BroadcastChannel', () => {
  it('takes the name from the global and deletes it; without one it has no channel', () => {
    const scope = { sockscopeServiceWorkerChannel: 'sockscope-test-a' } as unknown as typeof globalThis;
    expect(fromBroadcast(scope)).toBeTypeOf('function');
    expect(Object.keys(scope)).toEqual([]);
    expect(fromBroadcast({} as typeof globalThis)).toBeNull();
    expect(fromBroadcast({ sockscopeServiceWorkerChannel: 7 } as unknown as typeof globalThis)).toBeNull();
  });

  it('says it started, opens a channel per client, relays each way by name, and ignores what is malformed', async () => {
    const name = 'sockscope-test-b';
    const tab = bridge(name);
    const ports: MessagePort[] = [];
    fromBroadcast({ sockscopeServiceWorkerChannel: name } as unknown as typeof globalThis)!((port) => {
      opened.push(port);
      ports.push(port);
    });
    await settle();
    expect(tab.heard).toEqual([{ started: true }]);

    tab.say({ client: 'one', open: true });
    tab.say({ client: 'one', open: true });
    tab.say({ client: 42, open: true });
    tab.say('open');
    await settle();
    expect(ports).toHaveLength(1);

    const got: unknown[] = [];
    ports[0].onmessage = (event) => got.push(event.data);
    tab.say({ client: 'one', command: { type: 'subscribe' } });
    tab.say({ client: 'two', command: { type: 'lost' } });
    ports[0].postMessage({ type: 'hello' });
    await settle();
    expect(got).toEqual([{ type: 'subscribe' }]);
    expect(tab.heard.slice(1)).toEqual([{ client: 'one', message: { type: 'hello' } }]);
  });
});
