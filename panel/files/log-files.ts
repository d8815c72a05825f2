// The log to and from files: HAR export of every socket, JSON Lines of the
// messages a view shows, and HAR import into a log of its own (read-only).
import { wireMessageOf } from '../../shim/wire/records';
import type { LoggedMessage } from '../model/message-log';
import { fromHar, HarError, toHar, toJsonLines } from './har';
import { extensionVersion } from '../shell/platform';
import { LogStore, type MessageList } from '../model/store';
import { download, stamp } from './download';

/** Larger files are refused before they are read: a HAR is text, and parsing it takes several times its size. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;


function* messagesOf(list: MessageList): Generator<LoggedMessage> {
  for (let i = 0; i < list.length; i++) yield list.at(i) as LoggedMessage;
}

export function exportHar(store: LogStore): void {
  const har = toHar(store.sockets().map((entry) => ({ info: entry.info, messages: messagesOf(entry.messages) })), extensionVersion());
  download(`sockscope-${stamp()}.har`, JSON.stringify(har), 'application/json');
}

/** `urlOf`: the URL of a message's socket (the messages may be of several). */
export function exportJsonLines(urlOf: (message: LoggedMessage) => string, messages: MessageList): void {
  const withUrl = function* () {
    for (const message of messagesOf(messages)) yield { ...message, url: urlOf(message) };
  };
  download(`sockscope-${stamp()}.jsonl`, toJsonLines(withUrl()), 'application/x-ndjson');
}

/** A log of the file's sockets, or a HarError saying why there is none. */
export async function importHar(file: File): Promise<LogStore> {
  if (file.size > MAX_IMPORT_BYTES) throw new HarError(`${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`);
  const sockets = fromHar(await file.text());
  const store = new LogStore();
  store.receive({
    type: 'batch',
    instance: 'imported',
    frameId: 0,
    sockets: sockets.map((socket) => socket.info),
    messages: sockets
      .flatMap((socket) => socket.messages)
      .sort((a, b) => a.time - b.time)
      .map((message, i) => wireMessageOf({ ...message, seq: i + 1 })),
    samples: [],
  });
  return store;
}
