// Edit and resend in a message's decoded form, in either browser's real
// panel: on a socket whose subprotocol is MessagePack or CBOR, a binary
// message the page sent opens in the composer as JSON; edited and sent, it
// reaches the echo server encoded with the same library, and the page gets
// those bytes back.
import { encode as encodeMessagePack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { expect } from 'vitest';
import type { DemoServer } from '../demo/server';
import type { Evaluator } from './devtools';
import { click, openRow, selectSocket, setField } from './panel';
import { echoUrl } from './traffic';
import { waitFor } from './wait';

const CODECS = { msgpack: (value: unknown) => encodeMessagePack(value), cbor: (value: unknown) => encodeCbor(value) } as const;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Opens a socket with `protocol` in the page, sends `bytes` on it, and keeps what it receives as hex. */
function openAndSend(page: Evaluator, url: string, protocol: string, bytes: Uint8Array): Promise<void> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const ws = new WebSocket(${JSON.stringify(url)}, [${JSON.stringify(protocol)}]);
    ws.binaryType = 'arraybuffer';
    const received = [];
    (globalThis.__decodedEdit ??= {})[${JSON.stringify(protocol)}] = received;
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') received.push(Array.from(new Uint8Array(event.data), (b) => b.toString(16).padStart(2, '0')).join(' '));
    });
    ws.addEventListener('open', () => (ws.send(new Uint8Array(${JSON.stringify([...bytes])})), resolve(true)));
    ws.addEventListener('error', () => reject(new Error('WebSocket error on ' + ws.url)));
  })`);
}

export async function editsDecoded(page: Evaluator, panel: Evaluator, server: DemoServer, run: string): Promise<void> {
  for (const [codec, encode] of Object.entries(CODECS)) {
    const original = { kind: 'order', id: `${codec}-${run}`, qty: 1 };
    const sent = encode(original);
    const url = echoUrl(server, `hi-${codec}-${run}`);
    await openAndSend(page, url, codec, sent);
    const received = () => page.evaluate<string[]>(`globalThis.__decodedEdit[${JSON.stringify(codec)}]`);
    await waitFor(`the echo of the ${codec} message`, async () => (await received()).includes(hex(sent)));

    await selectSocket(panel, url);
    // The first row showing the bytes is the page's send (the echo comes after it).
    await openRow(panel, hex(sent).slice(0, 23));
    await click(panel, 'edit-resend');
    const box = () => panel.evaluate<[string, string]>(`[document.querySelector('[data-testid=composer-format]').value, document.querySelector('[data-testid=composer-box]').value]`);
    await waitFor(`the ${codec} message in the composer`, async () => (await box())[0] === codec);
    const [, text] = await box();
    expect(JSON.parse(text)).toEqual(original);

    await setField(panel, 'composer-box', JSON.stringify({ ...original, qty: 2 }));
    await click(panel, 'composer-send');
    const edited = hex(encode({ ...original, qty: 2 }));
    await waitFor(`the edited ${codec} message echoed`, async () => (await received()).includes(edited));
    expect(await received()).toEqual([hex(sent), edited]);
  }
}
