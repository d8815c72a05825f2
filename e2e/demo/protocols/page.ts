// The protocols page: each client library a real app would use, talking to
// the demo server (protocol-servers.ts), so the panel decodes real traffic.
// Each client reports on the page when its exchange is done; the e2e test
// waits for every report, then reads the panel.
import { Client as StompClient } from '@stomp/stompjs';
import { createConsumer } from '@rails/actioncable';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { encode as encodeMessagePack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { createClient } from 'graphql-ws';
import mqtt from 'mqtt';
import { Socket as PhoenixSocket } from 'phoenix';
import { io } from 'socket.io-client';
import { SubscriptionClient } from 'subscriptions-transport-ws';

const origin = `ws://${location.host}`;

type Exchange = () => Promise<string>;

/** Resolves with `value` once `register` calls back, or rejects after 10 s. */
function once<T>(register: (done: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer in 10 s')), 10_000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

const EXCHANGES: Record<string, Exchange> = {
  'socket.io': () => {
    const socket = io(origin, { transports: ['websocket'] });
    return once((done) => {
      socket.on('chat message', (message: string) => done(`received ${message}`));
      socket.on('connect', () => socket.emit('chat message', 'hello from socket.io'));
    });
  },

  'graphql-ws': () => {
    const client = createClient({ url: `${origin}/graphql` });
    return once((done) => {
      const seen: string[] = [];
      client.subscribe<{ greetings: string }>(
        { query: 'subscription { greetings }' },
        { next: ({ data }) => void seen.push(data?.greetings ?? ''), error: (error) => done(`error ${String(error)}`), complete: () => done(seen.join(' ')) },
      );
    });
  },

  'subscriptions-transport-ws': () => {
    const client = new SubscriptionClient(`${origin}/subscriptions`, { reconnect: false });
    return once((done) => {
      const seen: string[] = [];
      client.request({ query: 'subscription { greetings }' }).subscribe({
        next: ({ data }) => void seen.push(String((data as { greetings?: string } | null)?.greetings)),
        error: (error: unknown) => done(`error ${String(error)}`),
        complete: () => done(seen.join(' ')),
      });
    });
  },

  mqtt: () => {
    const client = mqtt.connect(`${origin}/mqtt`, { protocolVersion: 5, clientId: 'sockscope-demo', reconnectPeriod: 0 });
    return once((done) => {
      client.on('message', (topic, payload) => done(`${topic} ${payload.toString()}`));
      client.on('connect', () =>
        client.subscribe('demo/#', { qos: 1 }, () => client.publish('demo/temperature', '{"celsius":21.5}', { qos: 1, properties: { contentType: 'application/json' } })),
      );
    });
  },

  signalr: async () => {
    const connection = new HubConnectionBuilder()
      .withUrl(`${origin}/hub`, { skipNegotiation: true, transport: HttpTransportType.WebSockets })
      .configureLogging(LogLevel.None)
      .build();
    const received = once<string>((done) => connection.on('ReceiveMessage', (user: string, text: string) => done(`${user}: ${text}`)));
    await connection.start();
    await connection.invoke('Send', 'ada', 'hello from SignalR');
    return received;
  },

  stomp: () => {
    const client = new StompClient({ brokerURL: `${origin}/stomp`, reconnectDelay: 0, heartbeatIncoming: 0, heartbeatOutgoing: 0 });
    return once((done) => {
      client.onConnect = () => {
        client.subscribe('/topic/greetings', (message) => done(message.body));
        client.publish({ destination: '/app/greetings', body: 'hello from STOMP' });
      };
      client.activate();
    });
  },

  phoenix: () => {
    const socket = new PhoenixSocket(`${origin}/socket`, { heartbeatIntervalMs: 60_000 });
    socket.connect();
    const channel = socket.channel('room:lobby', {});
    return once((done) => {
      channel.on('shout', (payload: { body: string }) => done(payload.body));
      channel.join().receive('ok', () => channel.push('shout', { body: 'hello from Phoenix' }));
    });
  },

  actioncable: () => {
    const consumer = createConsumer(`${origin}/cable`);
    return once((done) => {
      const subscription = consumer.subscriptions.create(
        { channel: 'ChatChannel', room: 'lobby' },
        {
          connected: () => subscription.perform('speak', { text: 'hello from Action Cable' }),
          received: (data: { text: string }) => done(data.text),
        },
      );
    });
  },

  msgpack: () => binaryEcho('msgpack', encodeMessagePack({ kind: 'greeting', text: 'hello from MessagePack' })),
  cbor: () => binaryEcho('cbor', encodeCbor({ kind: 'greeting', text: 'hello from CBOR' })),
};

/** A plain WebSocket naming a binary format as its subprotocol; the demo echo server sends the bytes back. */
function binaryEcho(protocol: string, bytes: Uint8Array): Promise<string> {
  const ws = new WebSocket(`${origin}/echo?format=${protocol}`, protocol);
  ws.binaryType = 'arraybuffer';
  return once((done) => {
    ws.onopen = () => ws.send(bytes);
    ws.onmessage = (event) => done(`echoed ${(event.data as ArrayBuffer).byteLength} bytes`);
  });
}

const list = document.querySelector('#protocols') as HTMLElement;
for (const [name, exchange] of Object.entries(EXCHANGES)) {
  const item = document.createElement('li');
  item.dataset.protocol = name;
  item.dataset.state = 'running';
  item.textContent = `${name}: running`;
  list.append(item);
  exchange().then(
    (result) => {
      item.dataset.state = 'done';
      item.textContent = `${name}: ${result}`;
    },
    (error: unknown) => {
      item.dataset.state = 'failed';
      item.textContent = `${name}: ${String(error)}`;
    },
  );
}
