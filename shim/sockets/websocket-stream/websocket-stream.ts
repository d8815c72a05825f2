// Instruments Chromium's WebSocketStream. The page keeps real native
// instances (the constructor is a Proxy whose construct trap builds the
// native object); what changes is what `opened` hands out: a readable and a
// writable of the shim's that stand in front of the native ones, record what
// passes, and keep native backpressure (watched-stream.ts):
//   - the readable has a high-water mark of 0 and pulls one chunk from the
//     native readable only when the page reads, so nothing is buffered beyond
//     what the native stream buffers, and the network sees the page's pace
//     (a rule that delays the down link reads ahead, within what a link of
//     that speed and delay holds in flight: read-ahead.ts);
//   - the writable (high-water mark 1, as native) completes a write when the
//     native write completes, so `writer.ready` and `desiredSize` follow it.
// Errors pass through as the same objects. `opened` and `closed` settle as
// the native promises do, one microtask later, both, so their order holds;
// once an offline rule drops the connection they settle as a lost connection
// does instead (see lost-connection-errors.ts), whatever the native stream says.
import { getOwnPropertyDescriptor, getter, NativeWeakMap, reflectConstruct, safely, weakMapGet, weakMapSet } from '../../realm/natives';
import { derive, replace, requestedProtocols } from '../../realm/replace';
import { uncurry } from '../../realm/uncurry';
import type { WebSocketCloseInfo, WebSocketOpenInfo } from '../stream-info';
import type { SocketKit } from '../socket-kind';
import { lostConnectionErrors } from './lost-connection-errors';
import { WatchedStream, type StreamNatives } from './watched-stream';

export function instrumentWebSocketStream(kit: SocketKit): void {
  const { global, mask } = kit;
  const Native = (global as { WebSocketStream?: new (url: string, options?: unknown) => object }).WebSocketStream;
  const NativeError = (global as { WebSocketError?: Function }).WebSocketError;
  if (typeof Native !== 'function' || typeof NativeError !== 'function') return;
  const proto = Native.prototype as object;
  const natives: StreamNatives = {
    kit,
    lost: lostConnectionErrors(NativeError, mask, kit.shaping),
    close: uncurry((proto as { close: () => void }).close) as (stream: object) => void,
    errorCloseCode: getter<number | null>(NativeError.prototype, 'closeCode'),
    errorReason: getter<string>(NativeError.prototype, 'reason'),
  };
  const url = getter<string>(proto, 'url');
  const nativeOpened = getter<Promise<WebSocketOpenInfo>>(proto, 'opened');
  const nativeClosed = getter<Promise<WebSocketCloseInfo>>(proto, 'closed');
  const streams = new NativeWeakMap<object, WatchedStream>();
  const watchedOf = (stream: unknown) => weakMapGet(streams, stream) as WatchedStream | undefined;

  function track(stream: object, options: unknown): void {
    const protocols = typeof options === 'object' && options !== null ? getOwnPropertyDescriptor(options, 'protocols')?.value : undefined;
    const info = kit.recorder.openSocket({ kind: 'WebSocketStream', url: url(stream), protocols: requestedProtocols(protocols), ...kit.where() });
    const watched = new WatchedStream(natives, info, stream, nativeOpened(stream), nativeClosed(stream));
    weakMapSet(streams, stream, watched);
    kit.live.add(watched);
    // Last: a drop rule in force may apply at once.
    kit.shaping.track({ id: info.id, url: info.url, events: false, connecting: () => info.readyState === 0 });
  }

  const Instrumented: Function = new Proxy(Native, {
    construct(target, args: unknown[], newTarget: Function) {
      const stream = reflectConstruct(target, args, newTarget === Instrumented ? target : newTarget) as object;
      safely(track, stream, args[1]);
      return stream;
    },
  });

  // Answered from the shim's state for tracked streams, natively otherwise.
  derive(proto, 'opened', mask, (self, native) => watchedOf(self)?.opened ?? native());
  derive(proto, 'closed', mask, (self, native) => watchedOf(self)?.closed ?? native());
  replace(proto, 'constructor', Instrumented, mask);
  replace(global, 'WebSocketStream', Instrumented, mask);
}
