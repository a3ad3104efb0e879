/**
 * A tiny SSM endpoint on loopback speaking the AWS JSON 1.1 protocol for `GetParametersByPath`
 * (the only call the app makes), for a client pointed at it with `AWS_ENDPOINT_URL_SSM`. Every
 * request's SigV4 signature is checked with the AWS SDK's own signer (@smithy/signature-v4), so a
 * request signed wrongly is refused here as AWS would refuse it.
 */

import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";

/** The test credentials every local SSM knows (access key ID → secret access key). */
export const LOCAL_SSM_CREDENTIALS: Readonly<Record<string, string>> = {
  AKIDTESTTEST: "test-secret",
  ASIABUNDLETEST: "bundle-test-secret",
  AKIDBENCHMARK: "bench-secret",
};

/** What the signature check found. */
export interface SignatureCheck {
  valid: boolean;
  accessKeyId?: string;
  region?: string;
  service?: string;
  sessionToken?: string;
}

/** One call the endpoint received. */
export interface SsmCall {
  target: string;
  body: { Path?: string; WithDecryption?: boolean; Recursive?: boolean; NextToken?: string };
  signed: SignatureCheck;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Node's SHA-256 / HMAC-SHA256 in the shape the SDK's signer asks for. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    throw new Error("not needed by the signer");
  }
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Recomputes the request's signature from the headers it signed. */
async function checkSignature(req: IncomingMessage, body: string): Promise<SignatureCheck> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ""));
  const date = String(req.headers["x-amz-date"] ?? "");
  if (!match || !/^\d{8}T\d{6}Z$/.test(date)) return { valid: false };
  const [, accessKeyId = "", , region = "", service = "", signedHeaders = ""] = match;
  const secretAccessKey = LOCAL_SSM_CREDENTIALS[accessKeyId];
  const sessionToken = req.headers["x-amz-security-token"] as string | undefined;
  if (!secretAccessKey) return { valid: false, accessKeyId };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) headers[name] = String(req.headers[name] ?? "");
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const signed = await signer.sign(
    {
      method: req.method ?? "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate },
  );
  const valid = signed.headers.authorization === req.headers.authorization;
  return { valid, accessKeyId, region, service, ...(sessionToken ? { sessionToken } : {}) };
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
    req.on("end", () => void answer(Buffer.concat(chunks).toString("utf8")));
    const answer = async (text: string): Promise<void> => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = JSON.parse(text || "{}") as SsmCall["body"];
      const signed = await checkSignature(req, text);
      calls.push({ target, body, signed });
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(payload));
      };
      if (!signed.valid) {
        reply(400, {
          __type: "InvalidSignatureException",
          message: "The request signature we calculated does not match the signature you provided.",
        });
        return;
      }
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
    };
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
