import { afterEach, describe, expect, it, vi } from "vitest";
import { consoleSink } from "../app/log";

describe("the default log sink", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("writes each record at once as one JSON line stamped with the time it was logged", () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-02T03:04:05.006Z"));
    consoleSink({ level: "info", msg: "request", path: "/login", status: 302 });
    expect(writes).toEqual([
      '{"time":"2030-01-02T03:04:05.006Z","level":"info","msg":"request","path":"/login","status":302}\n',
    ]);
    // Same millisecond or not, a later line carries the later time.
    vi.setSystemTime(new Date("2031-06-07T08:09:10.011Z"));
    consoleSink({ level: "error", msg: "settings_load_failed" });
    expect(writes).toHaveLength(2);
    expect(writes[1]).toBe(
      '{"time":"2031-06-07T08:09:10.011Z","level":"error","msg":"settings_load_failed"}\n',
    );
  });
});
