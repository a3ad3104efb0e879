import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad } from "../bench/lib/load";

// The bench's requests/s divide by a run's time: that time must end at the run's last response.
describe("a load run's time", () => {
  let lastAnsweredAt = 0n;
  const server = createServer((_req, res) => {
    res.writeHead(302, { Location: "/x", "Content-Length": "0" }).end();
    lastAnsweredAt = process.hrtime.bigint();
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("ends at its last response, not at autocannon's next one-second sample tick", async () => {
    const calledAt = process.hrtime.bigint();
    const result = await runLoad({
      url,
      amount: 200,
      connections: 10,
      pathFor: (i) => `/login?i=${i}`,
      maxSeconds: 30,
    });
    const resolvedAt = process.hrtime.bigint();
    const untilLastAnswer = Number(lastAnsweredAt - calledAt) / 1e9;
    expect(result.completed).toBe(200);
    expect(result.status["3xx"]).toBe(200);
    // The client reads the last answer just after the server wrote it, and long before the tick.
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.seconds).toBeLessThanOrEqual(untilLastAnswer + 0.1);
    expect(result.rps).toBeCloseTo(200 / result.seconds, 6);
    // What the run used to report: autocannon calls back only at its sample tick.
    expect(Number(resolvedAt - calledAt) / 1e9).toBeGreaterThan(result.seconds);
  });
});
