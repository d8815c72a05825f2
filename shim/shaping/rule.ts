// A shaping rule: which sockets it applies to and what it does to them. One
// reading of untrusted input (the panel's form, the page's `sockscope.shape`)
// into a checked rule, or an error that says what is wrong; nothing else
// reaches the engine.

/** One direction of the network: `up` page → server, `down` server → page. */
export interface LinkSettings {
  /** Added one-way delay. */
  latencyMs: number;
  /** Each message's delay varies by up to this much either way (order is kept). */
  jitterMs: number;
  /** 0: unlimited. */
  bytesPerSecond: number;
  /** 0: unlimited. */
  messagesPerSecond: number;
}

/** The page as a reader of what the server sends. */
export interface ConsumerSettings {
  /** 0: as fast as messages arrive. */
  messagesPerSecond: number;
  /** Deliver nothing until resumed (or stepped). */
  paused: boolean;
}

export type Match = { kind: 'url'; value: string } | { kind: 'regex'; source: string; flags: string } | { kind: 'socket'; id: number };

/**
 * `stall`: nothing moves either way and the connection stays up; `drop`: the
 * connection is closed and the page sees an abnormal closure (1006);
 * `refuse`: a socket not yet open fails its handshake as a refused one does
 * (an open one is left alone).
 */
export type Offline = 'stall' | 'drop' | 'refuse' | null;

export interface Rule {
  match: Match;
  up: LinkSettings | null;
  down: LinkSettings | null;
  consumer: ConsumerSettings | null;
  offline: Offline;
}

/** Bounds: beyond them a value is a typo, not a test (and timers would overflow). */
export const SHAPING_LIMITS = {
  delayMs: 10 * 60_000,
  bytesPerSecond: 10 * 1024 ** 3,
  messagesPerSecond: 1_000_000,
  urlChars: 2_048,
} as const;

export class RuleError extends Error {
  override readonly name = 'RuleError';
}

/**
 * Reads a rule as a page or the panel wrote it. `match` may be a URL
 * substring, a RegExp, a socket id, or the `Match` object; every other field
 * may be left out. Throws a RuleError naming the field.
 */
export function readRule(input: unknown): Rule {
  if (typeof input !== 'object' || input === null) throw new RuleError('a rule must be an object: { match, up, down, consumer, offline }');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'match' && key !== 'up' && key !== 'down' && key !== 'consumer' && key !== 'offline') {
      throw new RuleError(`unknown field "${key}" (known: match, up, down, consumer, offline)`);
    }
  }
  return {
    match: readMatch(fields.match),
    up: readLink(fields.up, 'up'),
    down: readLink(fields.down, 'down'),
    consumer: readConsumer(fields.consumer),
    offline: readOffline(fields.offline),
  };
}

export function readMatch(value: unknown): Match {
  if (typeof value === 'string') return { kind: 'url', value: readUrlPart(value, 'match') };
  if (typeof value === 'number') return { kind: 'socket', id: readSocketId(value, 'match') };
  if (value instanceof RegExp) return readRegex(value.source, value.flags);
  if (typeof value !== 'object' || value === null) {
    throw new RuleError('match must be a URL substring, a RegExp, a socket id, or { kind: "url" | "regex" | "socket", … }');
  }
  const match = value as Record<string, unknown>;
  switch (match.kind) {
    case 'url':
      return { kind: 'url', value: readUrlPart(match.value, 'match.value') };
    case 'regex':
      if (typeof match.source !== 'string') throw new RuleError('match.source must be a string');
      if (match.flags !== undefined && typeof match.flags !== 'string') throw new RuleError('match.flags must be a string');
      return readRegex(match.source, (match.flags as string | undefined) ?? '');
    case 'socket':
      return { kind: 'socket', id: readSocketId(match.id, 'match.id') };
    default:
      throw new RuleError('match.kind must be "url", "regex" or "socket"');
  }
}

function readUrlPart(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new RuleError(`${field} must be a non-empty string`);
  if (value.length > SHAPING_LIMITS.urlChars) throw new RuleError(`${field} is longer than ${SHAPING_LIMITS.urlChars} characters`);
  return value;
}

function readRegex(source: string, flags: string): Match {
  readUrlPart(source, 'match.source');
  if (!/^[dimsuvy]*$/.test(flags)) throw new RuleError(`match.flags "${flags}": only d, i, m, s, u, v and y apply to a URL test`);
  try {
    new RegExp(source, flags);
  } catch (error) {
    throw new RuleError(`match: the regular expression does not compile: ${(error as Error).message}`);
  }
  return { kind: 'regex', source, flags };
}

function readSocketId(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new RuleError(`${field} must be a socket id (a positive integer)`);
  return value as number;
}

function readLink(value: unknown, field: string): LinkSettings | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new RuleError(`${field} must be an object: { latencyMs, jitterMs, bytesPerSecond, messagesPerSecond }`);
  const link = value as Record<string, unknown>;
  rejectUnknown(link, field, ['latencyMs', 'jitterMs', 'bytesPerSecond', 'messagesPerSecond']);
  return {
    latencyMs: readNumber(link.latencyMs, `${field}.latencyMs`, SHAPING_LIMITS.delayMs),
    jitterMs: readNumber(link.jitterMs, `${field}.jitterMs`, SHAPING_LIMITS.delayMs),
    bytesPerSecond: readNumber(link.bytesPerSecond, `${field}.bytesPerSecond`, SHAPING_LIMITS.bytesPerSecond),
    messagesPerSecond: readNumber(link.messagesPerSecond, `${field}.messagesPerSecond`, SHAPING_LIMITS.messagesPerSecond),
  };
}

function readConsumer(value: unknown): ConsumerSettings | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw new RuleError('consumer must be an object: { messagesPerSecond, paused }');
  const consumer = value as Record<string, unknown>;
  rejectUnknown(consumer, 'consumer', ['messagesPerSecond', 'paused']);
  if (consumer.paused !== undefined && typeof consumer.paused !== 'boolean') throw new RuleError('consumer.paused must be true or false');
  return {
    messagesPerSecond: readNumber(consumer.messagesPerSecond, 'consumer.messagesPerSecond', SHAPING_LIMITS.messagesPerSecond),
    paused: consumer.paused === true,
  };
}

function readOffline(value: unknown): Offline {
  if (value === undefined || value === null || value === false) return null;
  if (value === 'stall' || value === 'drop' || value === 'refuse') return value;
  throw new RuleError('offline must be "stall", "drop", "refuse" or null');
}

function rejectUnknown(fields: Record<string, unknown>, field: string, known: string[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) throw new RuleError(`unknown field "${field}.${key}" (known: ${known.join(', ')})`);
  }
}

/** A finite number in [0, max]; left out, 0 (no effect). */
function readNumber(value: unknown, field: string, max: number): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RuleError(`${field} must be a finite number, not ${describe(value)}`);
  if (value < 0) throw new RuleError(`${field} must not be negative (${value})`);
  if (value > max) throw new RuleError(`${field} is ${value}, more than the limit of ${max}`);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return value === null ? 'null' : typeof value;
}
