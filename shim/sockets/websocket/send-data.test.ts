import { describe, expect, it } from 'vitest';
import { convertSendData } from './send-data';

describe('convertSendData (send() on a socket with no native send to defer to)', () => {
  const errorOf = (data: unknown): string => {
    try {
      convertSendData(data);
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('keeps strings, buffers, views and Blobs, and converts anything else once', () => {
    const buffer = new ArrayBuffer(2);
    const blob = new Blob(['x']);
    expect(convertSendData(buffer)).toBe(buffer);
    expect(convertSendData(blob)).toBe(blob);
    let calls = 0;
    expect(convertSendData({ toString: () => `call ${++calls}` })).toBe('call 1');
    expect(convertSendData(null)).toBe('null');
  });

  it('refuses what Chromium 156 refuses, worded as it', () => {
    expect(errorOf(new ArrayBuffer(8, { maxByteLength: 16 }))).toBe("Failed to execute 'send' on 'WebSocket': The provided ArrayBuffer value must not be resizable.");
    expect(errorOf(new Uint8Array(new ArrayBuffer(8, { maxByteLength: 16 })))).toBe(
      "Failed to execute 'send' on 'WebSocket': The provided ArrayBufferView value must not be resizable.",
    );
    expect(errorOf(new SharedArrayBuffer(4))).toBe("Failed to execute 'send' on 'WebSocket': parameter 1 is not of type 'ArrayBuffer'.");
    expect(errorOf(new DataView(new SharedArrayBuffer(4)))).toBe("Failed to execute 'send' on 'WebSocket': The provided ArrayBufferView value must not be shared.");
    expect(errorOf(Symbol('s'))).toBe("Failed to execute 'send' on 'WebSocket': Cannot convert a Symbol value to a string");
    expect(errorOf(Object.create(null))).toBe("Failed to execute 'send' on 'WebSocket': Cannot convert object to primitive value");
  });
});
