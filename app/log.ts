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

/** Lines waiting for {@link flushLog}; bounded so a burst never holds much in memory. */
let pendingLines = "";
let flushScheduled = false;
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * Writes the lines {@link consoleSink} holds. Every write to stdout is a system call (a file or a
 * pipe is written synchronously), which under load cost more than the rest of the log line: the
 * lines of one turn of the event loop go out in one write. The Lambda handler calls this before it
 * returns, so an invocation's lines are written before the runtime freezes the process.
 */
export function flushLog(): void {
  flushScheduled = false;
  if (pendingLines === "") return;
  const text = pendingLines;
  pendingLines = "";
  process.stdout.write(text);
}

/** The last time written and its ISO 8601 text: under load many lines share a millisecond. */
let isoAt = Number.NaN;
let isoText = "";

function isoTime(ms: number): string {
  if (ms !== isoAt) {
    isoAt = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * The default sink: one JSON object per line, every level on stdout (Lambda sends stdout to the
 * function's log group, where the metric filters match `msg`). Written at the end of the current
 * turn of the event loop ({@link flushLog}), and at the latest when the process exits.
 */
export const consoleSink: LogSink = (record) => {
  // The time first, then the record's own fields (level and msg at least): no copy of the record.
  pendingLines += `{"time":"${isoTime(Date.now())}",${JSON.stringify(record).slice(1)}\n`;
  if (pendingLines.length >= MAX_PENDING_CHARS) flushLog();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushLog);
  }
};
process.on("exit", flushLog);

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
