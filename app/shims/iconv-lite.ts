/**
 * Stand-in for `iconv-lite` inside the Lambda bundle only (esbuild `alias`). body-parser and
 * raw-body use it to decode request bodies; Node's built-in WHATWG `TextDecoder` (full ICU in the
 * Lambda runtime) does the same job without iconv-lite's ~490 KB of code tables.
 * Errors keep iconv-lite's wording, which raw-body matches to answer 415.
 */

import { TextDecoder } from "node:util";

function decoderFor(encoding: string): TextDecoder {
  try {
    return new TextDecoder(encoding);
  } catch {
    throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${encoding.toLowerCase()}')`);
  }
}

/** Whether the encoding label is known. */
export function encodingExists(encoding: string): boolean {
  try {
    decoderFor(encoding);
    return true;
  } catch {
    return false;
  }
}

/** Decodes a whole buffer (a leading BOM is dropped, as iconv-lite does). */
export function decode(buffer: Uint8Array, encoding: string): string {
  return decoderFor(encoding).decode(buffer);
}

/** A streaming decoder: multi-byte sequences split across chunks are kept for the next chunk. */
export function getDecoder(encoding: string): { write(chunk: Uint8Array): string; end(): string } {
  const decoder = decoderFor(encoding);
  return {
    write: (chunk) => decoder.decode(chunk, { stream: true }),
    end: () => decoder.decode(),
  };
}

/** Encodes text; only the encodings Node's Buffer knows (nothing in the bundle encodes otherwise). */
export function encode(text: string, encoding: string): Buffer {
  const normalized = encoding.toLowerCase().replace(/[^a-z0-9]/g, "");
  const map: Record<string, BufferEncoding> = {
    utf8: "utf8",
    latin1: "latin1",
    ascii: "ascii",
    utf16le: "utf16le",
  };
  const target = map[normalized];
  if (!target) throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${normalized}')`);
  return Buffer.from(text, target);
}
