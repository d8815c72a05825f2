// The servers the protocols page's real client libraries talk to, one route
// each, so the panel's decoders are shown (and tested) on traffic those
// libraries make. Socket.IO runs its own server package and MQTT is parsed
// and written by mqtt-packet; the others speak just enough of their protocol,
// from its spec, for a client to connect, subscribe, send and receive.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Where Socket.IO listens: its own upgrade handler takes these paths. */
export const SOCKET_IO_PATH = '/socket.io/';

const text = (data: RawData): string => (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');

const GREETINGS = ['Hi', 'Bonjour', 'Hola'];

/** graphql-ws's protocol (`graphql-transport-ws`): init, ack, then subscribe → next… → complete per id; ping → pong. */
function graphqlTransport(ws: WebSocket): void {
  ws.on('message', (data) => {
    const message = JSON.parse(text(data)) as { type?: string; id?: string };
    if (message.type === 'connection_init') ws.send(JSON.stringify({ type: 'connection_ack' }));
    else if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    else if (message.type === 'subscribe') {
      for (const hi of GREETINGS) ws.send(JSON.stringify({ id: message.id, type: 'next', payload: { data: { greetings: hi } } }));
      ws.send(JSON.stringify({ id: message.id, type: 'complete' }));
    }
  });
}

/** subscriptions-transport-ws's protocol (`graphql-ws` subprotocol): init, ack, then start → data… → complete per id. */
function subscriptionsTransport(ws: WebSocket): void {
  ws.on('message', (data) => {
    const message = JSON.parse(text(data)) as { type?: string; id?: string };
    if (message.type === 'connection_init') ws.send(JSON.stringify({ type: 'connection_ack' }));
    if (message.type === 'start') {
      for (const hi of GREETINGS) ws.send(JSON.stringify({ id: message.id, type: 'data', payload: { data: { greetings: hi } } }));
      ws.send(JSON.stringify({ id: message.id, type: 'complete' }));
    }
  });
}

/** A one-room MQTT broker: CONNACK, SUBACK, PUBACK, PINGRESP, and every PUBLISH to every subscriber of its topic. */
function mqttBroker(clients: Set<{ ws: WebSocket; version: number; topics: string[] }>): (ws: WebSocket) => void {
  const matches = (filter: string, topic: string) => filter === topic || (filter.endsWith('/#') && topic.startsWith(filter.slice(0, -1)));
  return (ws) => {
    const client = { ws, version: 4, topics: [] as string[] };
    const parser = mqttParser();
    const send = (to: typeof client, packet: Packet) => to.ws.send(generate(packet, { protocolVersion: to.version }));
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connect') {
        client.version = packet.protocolVersion ?? 4;
        clients.add(client);
        send(client, client.version === 5 ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 } : { cmd: 'connack', sessionPresent: false, returnCode: 0 });
      } else if (packet.cmd === 'subscribe') {
        client.topics.push(...packet.subscriptions.map((s) => s.topic));
        send(client, { cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map((s) => s.qos) });
      } else if (packet.cmd === 'publish') {
        if (packet.qos === 1) send(client, { cmd: 'puback', messageId: packet.messageId });
        for (const to of clients) {
          if (to.topics.some((filter) => matches(filter, packet.topic))) send(to, { cmd: 'publish', topic: packet.topic, payload: packet.payload, qos: 0, dup: false, retain: false });
        }
      } else if (packet.cmd === 'pingreq') send(client, { cmd: 'pingresp' });
    });
    parser.on('error', () => ws.terminate());
    ws.on('message', (data) => parser.parse(Buffer.isBuffer(data) ? data : Buffer.from(text(data))));
    ws.on('close', () => clients.delete(client));
  };
}

/** SignalR's JSON hub protocol: the handshake, then `Send(user, text)` answered and broadcast as `ReceiveMessage`. */
function signalRHub(ws: WebSocket): void {
  const RS = '\u001e';
  let shaken = false;
  ws.on('message', (data) => {
    for (const record of text(data).split(RS).filter(Boolean)) {
      const message = JSON.parse(record) as { type?: number; invocationId?: string; target?: string; arguments?: unknown[] };
      if (!shaken) {
        shaken = true;
        ws.send(`{}${RS}`);
      } else if (message.type === 1 && message.target === 'Send') {
        ws.send(JSON.stringify({ type: 1, target: 'ReceiveMessage', arguments: message.arguments }) + RS);
        if (message.invocationId !== undefined) ws.send(JSON.stringify({ type: 3, invocationId: message.invocationId, result: null }) + RS);
      } else if (message.type === 6) ws.send(`{"type":6}${RS}`);
    }
  });
}

/** A STOMP 1.2 broker for one client: CONNECTED, and every SEND to /app/x delivered to subscribers of /topic/x. */
function stompBroker(ws: WebSocket): void {
  const subscriptions = new Map<string, string>();
  let delivered = 0;
  ws.on('message', (data) => {
    for (const raw of text(data).split('\0')) {
      const [head = '', body = ''] = raw.replace(/^\r?\n+/, '').split(/\r?\n\r?\n/, 2);
      const [command, ...lines] = head.split(/\r?\n/);
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
      if (command === 'CONNECT' || command === 'STOMP') ws.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
      else if (command === 'SUBSCRIBE') subscriptions.set(headers.destination ?? '', headers.id ?? '');
      else if (command === 'SEND') {
        const destination = (headers.destination ?? '').replace(/^\/app\//, '/topic/');
        const id = subscriptions.get(destination);
        if (id !== undefined) ws.send(`MESSAGE\ndestination:${destination}\nmessage-id:${++delivered}\nsubscription:${id}\ncontent-type:text/plain\n\n${body}\0`);
      } else if (command === 'DISCONNECT' && headers.receipt) ws.send(`RECEIPT\nreceipt-id:${headers.receipt}\n\n\0`);
    }
  });
}

/** Phoenix channels (serializer 2.0.0): joins, heartbeats and `shout` pushes answered, shouts broadcast back. */
function phoenixSocket(ws: WebSocket): void {
  ws.on('message', (data) => {
    const [joinRef, ref, topic, event, payload] = JSON.parse(text(data)) as [string | null, string, string, string, unknown];
    const reply = (response: unknown) => ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]));
    if (event === 'phx_join' || event === 'heartbeat') reply({});
    else if (event === 'shout') {
      reply({});
      ws.send(JSON.stringify([joinRef, null, topic, 'shout', payload]));
    }
  });
}

/** Action Cable: welcome, subscriptions confirmed, `speak` actions broadcast to the channel's subscribers. */
function actionCable(ws: WebSocket): void {
  ws.send(JSON.stringify({ type: 'welcome' }));
  ws.on('message', (data) => {
    const message = JSON.parse(text(data)) as { command?: string; identifier?: string; data?: string };
    if (message.command === 'subscribe') ws.send(JSON.stringify({ identifier: message.identifier, type: 'confirm_subscription' }));
    else if (message.command === 'message') {
      const { action, ...rest } = JSON.parse(message.data ?? '{}') as { action?: string };
      if (action === 'speak') ws.send(JSON.stringify({ identifier: message.identifier, message: rest }));
    }
  });
}

export interface ProtocolServers {
  /** Handles an upgrade to one of the protocol routes: false when the path is none of them. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pathname: string): boolean;
  close(): void;
}

export function protocolServers(http: HttpServer): ProtocolServers {
  const io = new SocketIoServer(http, { path: SOCKET_IO_PATH, transports: ['websocket'], serveClient: false, destroyUpgrade: false });
  io.on('connection', (socket) => socket.on('chat message', (message: unknown) => io.emit('chat message', message)));

  const wss = new WebSocketServer({ noServer: true });
  const mqttClients = new Set<{ ws: WebSocket; version: number; topics: string[] }>();
  const routes: Record<string, (ws: WebSocket) => void> = {
    '/graphql': graphqlTransport,
    '/subscriptions': subscriptionsTransport,
    '/mqtt': mqttBroker(mqttClients),
    '/hub': signalRHub,
    '/stomp': stompBroker,
    '/socket/websocket': phoenixSocket,
    '/cable': actionCable,
  };

  return {
    upgrade(req, socket, head, pathname) {
      // Socket.IO's own listener takes its path.
      if (pathname.startsWith(SOCKET_IO_PATH)) return true;
      const route = routes[pathname];
      if (!route) return false;
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        route(ws);
      });
      return true;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      void io.close();
    },
  };
}
