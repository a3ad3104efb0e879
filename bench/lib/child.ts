/**
 * Child processes with a request/response channel over Node's IPC: each measured server runs in a
 * process of its own, so its CPU time and memory are its own and not the load generator's.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { ROOT, childEnv } from "./env";

/** A message from parent to child. */
export interface ChildRequest {
  id: number;
  cmd: string;
  args?: unknown;
}

/** A reply from child to parent. */
export interface ChildReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A running TypeScript child. */
export interface ChildHandle {
  readonly pid: number;
  /** Sends a command and waits for its reply, at most `timeoutMs`. */
  call<T>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit; kills it if it has not exited within 5 s. Never throws. */
  stop(): Promise<void>;
  /** The tail of the child's stderr, for error messages. */
  stderr(): string;
}

/** Options of {@link startChild}. */
export interface StartChildOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Extra `node` flags. `--expose-gc` is always given. */
  nodeFlags?: string[];
  /** How long to wait for the child's `ready` message. Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * Starts `node --expose-gc --import tsx <file> ...args` with an IPC channel and waits for its first
 * reply (id 0, the `ready` message), whose result it returns along with the handle.
 */
export async function startChild<Ready>(
  file: string,
  args: string[] = [],
  options: StartChildOptions = {},
): Promise<{ child: ChildHandle; ready: Ready }> {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--expose-gc", ...(options.nodeFlags ?? []), "--import", "tsx", file, ...args],
    {
      cwd: ROOT,
      env: childEnv(options.env),
      // stdout ignored: the app writes one log line per request, which a pipe would turn into load here.
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    },
  );
  let stderrTail = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-4000);
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited: string | undefined;
  proc.on("message", (raw: unknown) => {
    const reply = raw as ChildReply;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new Error(reply.error ?? "child reported an error"));
  });
  proc.on("exit", (code, signal) => {
    exited = `exited (${signal ?? code})`;
    for (const waiter of pending.values()) {
      waiter.reject(
        new Error(`${file} ${exited} before replying. stderr: ${stderrTail.trim() || "(empty)"}`),
      );
    }
    pending.clear();
  });

  let nextId = 1;
  const wait = <T>(id: number, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error(`${file} ${exited}. stderr: ${stderrTail.trim() || "(empty)"}`));
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new Error(`${file}: no reply to ${what} within ${timeoutMs} ms. stderr: ${stderrTail.trim()}`),
        );
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });

  const handle: ChildHandle = {
    pid: proc.pid ?? -1,
    call: <T>(cmd: string, callArgs?: unknown, timeoutMs = 30_000): Promise<T> => {
      const id = nextId++;
      const result = wait<T>(id, timeoutMs, cmd);
      if (!exited) proc.send({ id, cmd, args: callArgs } satisfies ChildRequest);
      return result;
    },
    stop: async () => {
      if (exited || proc.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      try {
        proc.send({ id: -1, cmd: "exit" } satisfies ChildRequest);
      } catch {
        // The channel is already closed; the kill below still ends the process.
      }
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
    stderr: () => stderrTail,
  };
  try {
    const ready = await wait<Ready>(0, options.readyTimeoutMs ?? 30_000, "start-up");
    return { child: handle, ready };
  } catch (error) {
    proc.kill("SIGKILL");
    throw error;
  }
}

/** A command handler inside a child. */
export type ChildCommands = Record<string, (args: unknown) => unknown>;

/**
 * The child side: reports `ready` (id 0) with `readyResult`, then answers commands until `exit`.
 * Exits with code 1 if the parent goes away.
 */
export function serveParent(
  readyResult: unknown,
  commands: ChildCommands,
  onExit?: () => Promise<void>,
): void {
  const send = (reply: ChildReply): void => {
    process.send?.(reply);
  };
  process.on("message", (raw: unknown) => {
    const request = raw as ChildRequest;
    if (request.cmd === "exit") {
      void (onExit ?? (async () => undefined))().finally(() => process.exit(0));
      return;
    }
    const handler = commands[request.cmd];
    if (!handler) {
      send({ id: request.id, ok: false, error: `unknown command ${request.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.args))
      .then(
        (result) => send({ id: request.id, ok: true, result }),
        (error: unknown) =>
          send({ id: request.id, ok: false, error: error instanceof Error ? error.stack : String(error) }),
      );
  });
  process.on("disconnect", () => process.exit(1));
  send({ id: 0, ok: true, result: readyResult });
}

/** Reports a start-up failure to the parent (id 0) and exits. */
export function failStartup(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${message}\n`);
  if (process.send) {
    process.send({ id: 0, ok: false, error: message } satisfies ChildReply, undefined, {}, () =>
      process.exit(1),
    );
  } else process.exit(1);
}

/** Forces a full GC (children run with `--expose-gc`) and reads RSS and heap, in bytes. */
export function memoryAfterGc(): { rss: number; heapUsed: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}
