import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleSink, flushLog } from "../app/log";

describe("the default log sink", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes the lines of one turn of the event loop in one write, before the next turn", async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    consoleSink({ level: "info", msg: "request", path: "/login", status: 302 });
    consoleSink({ level: "warn", msg: "callback_rejected", code: "state_mismatch" });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = (writes[0] ?? "").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      { time: expect.any(String), level: "info", msg: "request", path: "/login", status: 302 },
      { time: expect.any(String), level: "warn", msg: "callback_rejected", code: "state_mismatch" },
    ]);
  });

  it("writes what it holds at once when flushed (the Lambda handler does before it returns)", () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    consoleSink({ level: "error", msg: "settings_load_failed" });
    flushLog();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\{"time":"[^"]+","level":"error","msg":"settings_load_failed"\}\n$/);
    flushLog();
    expect(writes).toHaveLength(1);
  });
});
