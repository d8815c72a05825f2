// dist/shim.js: the standalone build for test automation, e.g. Playwright's
// `page.addInitScript({ path: 'dist/shim.js' })`. Exposes one global, `sockscope`.
// Options come from a `sockscopeOptions` global set before it runs, which it
// reads and deletes: `{ provideWebSocketStream, classicOverStream, rules }` (see Options below).
import { install } from './install';
import { WIRE_VERSION } from '../wire/messages';
import { readRule, type Rule } from '../shaping/rule';
import { readAnyRule, readInterceptRule, type InterceptRule } from '../talk-back/intercept-rule';
import { heldMessages, releaseHeld } from '../talk-back/held-messages';
import type { ConsumerControl, SockscopeApi } from '../wire/page-api';

const options = takeOptions();
const { recorder, shaping, live, provideWebSocketStream, carryWebSocketOverStream } = install(globalThis);
if (options.provideWebSocketStream) provideWebSocketStream();
if (options.classicOverStream) carryWebSocketOverStream();
for (const rule of options.rules) shaping.shape(rule);
const api: SockscopeApi = Object.freeze({
  version: WIRE_VERSION,
  sockets: () => recorder.socketList(),
  messages: (socketId?: number) => recorder.messageList(socketId),
  frames: (socketId?: number) => recorder.messageList(socketId),
  shape: (rule: unknown) => shaping.shape(readRule(rule)),
  unshape: (ruleId: number) => shaping.unshape(ruleId),
  consumer: (socketId: number): ConsumerControl => {
    shaping.stats(socketId); // throws for an unknown socket, now rather than at the first call
    return Object.freeze({
      pause: () => shaping.consumerAction(socketId, 'pause'),
      resume: () => shaping.consumerAction(socketId, 'resume'),
      step: () => shaping.consumerAction(socketId, 'step'),
      followRule: () => shaping.consumerAction(socketId, 'follow-rule'),
    });
  },
  stats: (socketId: number) => shaping.stats(socketId),
  send: (socketId: number, data: unknown) => live.send(socketId, data),
  inject: (socketId: number, data: unknown) => live.inject(socketId, data),
  close: (socketId: number, code?: unknown, reason?: unknown) => live.close(socketId, code, reason),
  serverClose: (socketId: number, code: unknown, reason?: unknown) => live.serverClose(socketId, code, reason),
  intercept: (rule: unknown) => shaping.shape(readInterceptRule(rule)),
  unintercept: (ruleId: number) => shaping.unshape(ruleId),
  paused: () => heldMessages(shaping.breakpoints),
  release: (id: number, change?: unknown) => releaseHeld(shaping.breakpoints, id, change),
});
Object.defineProperty(globalThis, 'sockscope', { value: api, writable: false, enumerable: false, configurable: true });

interface Options {
  /** Where the browser has no WebSocketStream (Firefox), supply one built on WebSocket. */
  provideWebSocketStream: boolean;
  /**
   * Carry WebSocket over the browser's own WebSocketStream (Chromium), so that a
   * slow consumer holds the server back over TCP; where there is none, a warning.
   */
  classicOverStream: boolean;
  /** Shaping and intercept rules in force from the start, before the page's first message (see `shape` and `intercept`). */
  rules: (Rule | InterceptRule)[];
}

const KNOWN_OPTIONS = 'provideWebSocketStream, classicOverStream, rules';

function takeOptions(): Options {
  const holder = globalThis as { sockscopeOptions?: unknown };
  const options = holder.sockscopeOptions;
  delete holder.sockscopeOptions;
  if (options === undefined) return { provideWebSocketStream: false, classicOverStream: false, rules: [] };
  if (typeof options !== 'object' || options === null) throw new TypeError(`sockscopeOptions must be an object (${KNOWN_OPTIONS})`);
  const { provideWebSocketStream, classicOverStream, rules, ...rest } = options as Partial<Record<'provideWebSocketStream' | 'classicOverStream' | 'rules', unknown>>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TypeError(`sockscopeOptions: unknown option ${unknown.join(', ')} (known: ${KNOWN_OPTIONS})`);
  const flags: [string, unknown][] = [['provideWebSocketStream', provideWebSocketStream], ['classicOverStream', classicOverStream]];
  for (const [name, value] of flags) {
    if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`sockscopeOptions.${name} must be true or false`);
  }
  if (rules !== undefined && !Array.isArray(rules)) throw new TypeError('sockscopeOptions.rules must be an array of rules');
  return {
    provideWebSocketStream: provideWebSocketStream === true,
    classicOverStream: classicOverStream === true,
    rules: ((rules ?? []) as unknown[]).map(readAnyRule),
  };
}
