/**
 * Structured, token-free logging for the web application.
 *
 * Every line goes through {@link redact}, so even a careless message cannot carry a session
 * transfer token: the app only ever logs paths (never query strings), but defence in depth is cheap.
 */

import { SESSION_TRANSFER_PARAM } from "./contract";

/** One log record. Values are plain scalars so each line stays one JSON object. */
export interface LogRecord {
  level: "info" | "warn" | "error";
  msg: string;
  [field: string]: string | number | boolean | undefined;
}

/** Receives every log record of the app. The default writes one JSON line to stdout. */
export type LogSink = (record: LogRecord) => void;

const TOKEN_IN_TEXT = new RegExp(`(${SESSION_TRANSFER_PARAM}(?:=|%3D|"\\s*:\\s*"))[^&\\s"']*`, "gi");

/** Shortest text {@link TOKEN_IN_TEXT} can match: the name and at least `=`. */
const SHORTEST_MATCH = SESSION_TRANSFER_PARAM.length + 1;

/** Removes anything that looks like a session transfer token assignment from a text. */
export function redact(text: string): string {
  // Most fields (a path, a method) are shorter than the parameter's name: nothing to scan.
  return text.length < SHORTEST_MATCH ? text : text.replace(TOKEN_IN_TEXT, "$1[redacted]");
}

/** Drops the query string and fragment of a URL or path: query strings may carry tokens. */
export function pathOnly(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * The default sink: one JSON object per line, every level on stdout (Lambda sends stdout to the
 * function's log group, where the metric filters match `msg`), each line written as it is logged
 * with the time it was logged.
 */
export const consoleSink: LogSink = (record) => {
  // The time first, then the record's own fields (level and msg at least): no copy of the record.
  process.stdout.write(`{"time":"${new Date().toISOString()}",${JSON.stringify(record).slice(1)}\n`);
};

/** Wraps a sink so every string field of every record is redacted before it is written. */
export function redactingSink(sink: LogSink): LogSink {
  return (record) => {
    // A snapshot of the record's own fields, each read once (a getter too): what the sink writes is
    // what was checked, and the caller's record is never changed.
    const clean: LogRecord = { ...record };
    // level and msg even when inherited, as the record's type promises them.
    if (!Object.hasOwn(record, "level")) clean.level = record.level;
    if (!Object.hasOwn(record, "msg")) clean.msg = record.msg;
    for (const key in clean) {
      const value = clean[key];
      if (typeof value !== "string") continue;
      const redacted = redact(value);
      // Most fields (a path, a method) are unchanged: no write.
      if (redacted !== value) clean[key] = redacted;
    }
    sink(clean);
  };
}
