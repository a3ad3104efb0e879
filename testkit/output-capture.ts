/**
 * Captures everything the process writes to stdout and stderr (the app's logs, library warnings,
 * console output, captured both at the console and at the stream) while still passing it through, so a suite can search its own log output.
 */

/** A running capture. */
export interface OutputCapture {
  /** Everything written since the capture started. */
  text(): string;
  /** Restores the original writers. */
  stop(): void;
}

import { format } from "node:util";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;

/** Starts teeing process.stdout and process.stderr into memory. */
export function captureProcessOutput(): OutputCapture {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, i) => {
    const original = originals[i] as typeof stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  // Test runners may route console output around process.stdout: capture it at the source too.
  const consoleOriginals = CONSOLE_METHODS.map((method) => console[method]);
  CONSOLE_METHODS.forEach((method, i) => {
    const original = consoleOriginals[i] as (...args: unknown[]) => void;
    console[method] = (...args: unknown[]): void => {
      chunks.push(format(...args) + "\n");
      original.apply(console, args);
    };
  });
  return {
    text: () => chunks.join(""),
    stop: () => {
      CONSOLE_METHODS.forEach((method, i) => {
        console[method] = consoleOriginals[i] as (...args: unknown[]) => void;
      });
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
    },
  };
}
