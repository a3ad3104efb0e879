/**
 * A tiny SSM endpoint on loopback speaking the AWS JSON 1.1 protocol for `GetParametersByPath`
 * (the only call the app makes), so the real AWS SDK can be pointed at it with
 * `AWS_ENDPOINT_URL_SSM` and dummy credentials.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the endpoint received. */
export interface SsmCall {
  target: string;
  body: { Path?: string; WithDecryption?: boolean; Recursive?: boolean; NextToken?: string };
}

/** A running fake SSM endpoint. */
export interface LocalSsm {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** SecureString parameters by full name; edit freely between calls. */
  parameters: Map<string, string>;
  calls: SsmCall[];
  close(): Promise<void>;
}

/** Starts the endpoint. `pageSize` forces pagination (`NextToken`) when there are more parameters. */
export async function startLocalSsm(options: { pageSize?: number } = {}): Promise<LocalSsm> {
  const pageSize = options.pageSize ?? 10;
  const parameters = new Map<string, string>();
  const calls: SsmCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as SsmCall["body"];
      calls.push({ target, body });
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(payload));
      };
      if (target !== "AmazonSSM.GetParametersByPath") {
        reply(400, { __type: "UnknownOperationException", message: `unsupported ${target}` });
        return;
      }
      const prefix = `${(body.Path ?? "").replace(/\/+$/, "")}/`;
      const matching = [...parameters]
        .filter(
          ([name]) => name.startsWith(prefix) && (body.Recursive || !name.slice(prefix.length).includes("/")),
        )
        .sort(([a], [b]) => a.localeCompare(b));
      const start = body.NextToken ? Number(body.NextToken) : 0;
      const page = matching.slice(start, start + pageSize);
      reply(200, {
        Parameters: page.map(([name, value]) => ({
          Name: name,
          Type: "SecureString",
          // Without decryption SSM returns the ciphertext, never the value.
          Value: body.WithDecryption ? value : `AQICAH-encrypted-${name.length}`,
          Version: 1,
          DataType: "text",
          ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${name}`,
          LastModifiedDate: 1_700_000_000,
        })),
        ...(start + pageSize < matching.length ? { NextToken: String(start + pageSize) } : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parameters,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
