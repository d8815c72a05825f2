// Type-level tests, checked by `npm run typecheck` (tsc): each line under an
// expect-error marker must fail to compile, or tsc reports the marker unused.
// They prove the wire's maps are enforced: a message without its validator or
// handler, or a field the writer and the reader disagree on, does not build.
import { dispatch, envelope, type Handlers, type ShimCommands, type SocketCommands, type Validators } from './messages';
import { writeBatch, type BatchText } from './records';

/** Next year's command, added to the map and to nothing else. */
interface WithSend extends SocketCommands {
  echo: { instance: string; socketId: number; data: string };
}

declare const socketHandlers: Handlers<SocketCommands>;
declare const socketValidators: Validators<SocketCommands>;

// @ts-expect-error: the new command has no handler
export const unhandled: Handlers<WithSend> = socketHandlers;

// @ts-expect-error: the new command has no validator
export const unvalidated: Validators<WithSend> = socketValidators;

// With both, it builds, and dispatch reaches the new handler.
export const handled: Handlers<WithSend> = { ...socketHandlers, echo: ({ data }) => void data };
export const validated: Validators<WithSend> = {
  ...socketValidators,
  echo: (x) => (typeof x.instance === 'string' && typeof x.socketId === 'number' && typeof x.data === 'string' ? { instance: x.instance, socketId: x.socketId, data: x.data } : null),
};
dispatch(handled, envelope<WithSend, 'echo'>('echo', { instance: 'a', socketId: 1, data: 'hi' }));

// @ts-expect-error: a command built without a field its map gives it
envelope<ShimCommands, 'consumer'>('consumer', { instance: 'a', socketId: 1 });

// @ts-expect-error: a type no map has
envelope<ShimCommands, 'drop'>('drop', {});

// @ts-expect-error: a validator that copies a field under another name
export const misnamed: Validators<Pick<SocketCommands, 'consumer'>> = { consumer: () => ({ instance: 'a', socket: 1, action: 'pause' }) };

// The batch the shim writes has exactly the lists the panel reads.
export const complete: BatchText = { sockets: '', messages: '', samples: '' };
// @ts-expect-error: the writer leaves out a list the reader expects
writeBatch({ sockets: '', messages: '' });
// @ts-expect-error: the writer adds a list the reader does not know
writeBatch({ sockets: '', messages: '', samples: '', notes: '' });
// @ts-expect-error: a list the reader has under another name
export const renamed: BatchText = { sockets: '', entries: '', samples: '' };
