// The worker that searches the older part of a large log (./log-mirror.ts).
import { LogMirror, serveMirror, type MirrorMessage, type SearchFailure, type SearchReply } from './log-mirror';

/** A dedicated worker's global scope, as far as this uses it (the DOM typings describe a window). */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<MirrorMessage>) => void;
  postMessage(message: SearchReply | SearchFailure, transfer: Transferable[]): void;
};

const serve = serveMirror(new LogMirror(), (reply) => scope.postMessage(reply, 'error' in reply ? [] : [reply.shown.words.buffer, reply.unsettled.buffer]));
scope.onmessage = ({ data: message }) => serve(message);
