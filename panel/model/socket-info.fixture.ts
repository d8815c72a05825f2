// A socket record for panel tests: an open WebSocket, fields overridden as a test needs.
import type { SocketInfo } from '../../shim/wire/records';

export function socketInfo(id: number, fields: Partial<SocketInfo> = {}): SocketInfo {
  return {
    id,
    kind: 'WebSocket',
    provided: false,
    overStream: false,
    shaped: false,
    url: `wss://example.test/${id}`,
    protocols: [],
    frameUrl: 'https://example.test/',
    worker: null,
    readyState: 1,
    protocol: '',
    extensions: '',
    createdAt: 1_000,
    openedAt: 1_010,
    closedAt: null,
    error: false,
    closeCode: null,
    closeReason: '',
    wasClean: null,
    sent: 0,
    received: 0,
    sentBytes: 0,
    receivedBytes: 0,
    dropped: 0,
    lastSeq: 0,
    ...fields,
  };
}
