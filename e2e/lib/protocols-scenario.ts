// Every protocol decoder on the traffic of the real client library that
// speaks it (the demo's protocols page, e2e/demo/protocols/page.ts), in
// either browser's real panel: the socket's protocol is detected, and a
// message it sent or received is decoded into its fields.
import { expect } from 'vitest';
import type { Evaluator } from './devtools';
import { openRow, selectSocket, textOf } from './panel';
import { waitFor } from './wait';

/** The hex of a string's UTF-8 bytes as a binary row previews them. */
const hexOf = (text: string) => [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

interface Case {
  /** The page's entry for the client (its `data-protocol`). */
  client: string;
  /** Part of the socket's URL that tells it from the others. */
  url: string;
  /** The decoder's label, as the panel names what it detected. */
  label: string;
  /** Part of a message row's preview: the first row showing it is opened. */
  row: string;
  /** What the decoded summary starts with. */
  summary: string;
  /** What the decoded fields show. */
  fields: string[];
}

const CASES: Case[] = [
  { client: 'socket.io', url: '/socket.io/?EIO=4', label: 'Socket.IO', row: 'hello from socket.io', summary: 'Socket.IO: Socket.IO EVENT "chat message"', fields: ['"hello from socket.io"'] },
  { client: 'graphql-ws', url: '/graphql', label: 'graphql-ws', row: 'Bonjour', summary: 'graphql-ws: next #', fields: ['"Bonjour"'] },
  { client: 'subscriptions-transport-ws', url: '/subscriptions', label: 'subscriptions-transport-ws', row: 'Bonjour', summary: 'subscriptions-transport-ws: data #1', fields: ['"Bonjour"'] },
  // The page's PUBLISH (QoS 1, a 5.0 property): read as 5.0 because the session's CONNECT said so.
  { client: 'mqtt', url: '/mqtt', label: 'MQTT', row: hexOf('demo/temp'), summary: 'MQTT: PUBLISH demo/temperature', fields: ['"application/json"', 'celsius'] },
  { client: 'signalr', url: '/hub', label: 'SignalR (JSON)', row: 'hello from SignalR', summary: 'SignalR (JSON): Invocation Send', fields: ['"hello from SignalR"'] },
  { client: 'stomp', url: '/stomp', label: 'STOMP', row: 'hello from STOMP', summary: 'STOMP: SEND /app/greetings', fields: ['"/app/greetings"'] },
  { client: 'phoenix', url: '/socket/websocket', label: 'Phoenix channels', row: 'hello from Phoenix', summary: 'Phoenix channels: shout on room:lobby', fields: ['"hello from Phoenix"'] },
  { client: 'actioncable', url: '/cable', label: 'Action Cable', row: 'hello from Action Cable', summary: 'Action Cable: message ChatChannel', fields: ['"speak"'] },
  { client: 'msgpack', url: '/echo?format=msgpack', label: 'MessagePack', row: '82 a4 6b 69 6e 64', summary: 'MessagePack: MessagePack', fields: ['"hello from MessagePack"'] },
  { client: 'cbor', url: '/echo?format=cbor', label: 'CBOR', row: 'a2 64 6b 69 6e 64', summary: 'CBOR: CBOR', fields: ['"hello from CBOR"'] },
];

/** `page` shows the protocols page; waits for every client's exchange, then checks each socket in `panel`. */
export async function decodesRealClients(page: Evaluator, panel: Evaluator): Promise<void> {
  await waitFor(
    'every client on the protocols page done',
    () => page.evaluate<boolean>(`[...document.querySelectorAll('#protocols li')].every((item) => item.dataset.state === 'done') && document.querySelectorAll('#protocols li').length > 0`),
    { timeoutMs: 20_000 },
  );
  expect(await page.evaluate<string[]>(`[...document.querySelectorAll('#protocols li')].map((item) => item.dataset.protocol)`)).toEqual(CASES.map((c) => c.client));
  for (const { url, label, row, summary, fields } of CASES) {
    await selectSocket(panel, url);
    await waitFor(`${label} detected for ${url}`, async () => (await textOf(panel, 'protocol-choice'))?.includes(`Detected: ${label}`) === true);
    await openRow(panel, row);
    await waitFor(`${url}: a decoded summary starting "${summary}"`, async () => (await textOf(panel, 'decoded-summary'))?.startsWith(summary) === true);
    const tree = await textOf(panel, 'json-tree');
    for (const field of fields) expect(tree, `${url}'s decoded fields`).toContain(field);
  }
}
