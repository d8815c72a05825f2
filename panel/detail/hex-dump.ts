// A binary payload as a hex dump: offset, 16 bytes in hex, and the bytes as
// ASCII (anything unprintable a dot), at most MAX_BYTES of it.

/** Bytes dumped at most: 4,096 lines. The rest can be copied as base64. */
export const HEX_DUMP_BYTES = 64 * 1024;
const PER_LINE = 16;

/** The bytes of a base64 payload (null if it does not decode). */
export function base64Bytes(base64: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Lines of the dump: `00000010  48 65 … 21  Hello, world!…`. */
export function hexDump(bytes: Uint8Array, max = HEX_DUMP_BYTES): string[] {
  const lines: string[] = [];
  const end = Math.min(bytes.length, max);
  for (let offset = 0; offset < end; offset += PER_LINE) {
    let hex = '';
    let ascii = '';
    for (let i = offset; i < offset + PER_LINE; i++) {
      if (i < end) {
        hex += bytes[i].toString(16).padStart(2, '0') + (i === offset + 7 ? '  ' : ' ');
        ascii += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
      } else {
        hex += i === offset + 7 ? '    ' : '   ';
      }
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} ${ascii}`);
  }
  return lines;
}
