/**
 * Test certificates: one certificate authority and one server certificate for `localhost`,
 * `127.0.0.1`, `::1` and `*.test`, made once per machine and cached in a temp directory.
 *
 * Node trusts the CA only when `NODE_EXTRA_CA_CERTS` points at {@link TestCertificates.caFile}
 * before the process starts (vitest: `tests/global-setup.ts`; other runners: set it in the parent).
 */

import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Paths and PEM contents of the cached test certificates. */
export interface TestCertificates {
  /** Directory holding the files. */
  dir: string;
  /** The CA certificate (PEM file): what `NODE_EXTRA_CA_CERTS` and browsers must trust. */
  caFile: string;
  /** The server certificate (PEM file), signed by the CA. */
  certFile: string;
  /** The server certificate's private key (PEM file). */
  keyFile: string;
  /** PEM of the CA certificate. */
  ca: string;
  /** PEM of the server certificate. */
  cert: string;
  /** PEM of the server key. */
  key: string;
}

/** Default cache directory: `<os tmpdir>/native-web-sso-tls`. */
export const DEFAULT_TLS_DIR = join(tmpdir(), "native-web-sso-tls");

/** Host names the server certificate is valid for. */
export const TEST_CERT_HOSTS = [
  "localhost",
  "*.localhost",
  "*.test",
  // Explicit names too: some clients refuse a wildcard directly below a top-level domain.
  "app.test",
  "web.test",
  "issuer.test",
  "auth.test",
  "127.0.0.1",
  "::1",
] as const;

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the test certificates, creating them (with the `openssl` CLI) when missing or expiring
 * within a day. Safe to call from several processes at once: a new set is made in a scratch
 * directory and moved into place atomically; a process that loses the race uses the winner's set.
 */
export function ensureTestCertificates(dir: string = DEFAULT_TLS_DIR): TestCertificates {
  if (!isUsable(dir)) {
    const parent = join(dir, "..");
    mkdirSync(parent, { recursive: true });
    const scratch = mkdtempSync(join(parent, ".native-web-sso-tls-"));
    generate(scratch);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(scratch, dir);
    } catch {
      // Another process won the race: keep its certificates.
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return read(dir);
}

function read(dir: string): TestCertificates {
  const caFile = join(dir, "ca.pem");
  const certFile = join(dir, "server.pem");
  const keyFile = join(dir, "server-key.pem");
  return {
    dir,
    caFile,
    certFile,
    keyFile,
    ca: readFileSync(caFile, "utf8"),
    cert: readFileSync(certFile, "utf8"),
    key: readFileSync(keyFile, "utf8"),
  };
}

function isUsable(dir: string): boolean {
  try {
    const { ca, cert } = read(dir);
    const caCert = new X509Certificate(ca);
    const serverCert = new X509Certificate(cert);
    const soon = Date.now() + ONE_DAY_MS;
    const altNames = serverCert.subjectAltName ?? "";
    return (
      TEST_CERT_HOSTS.every((h) => /^[\d.:]+$/.test(h) || altNames.includes(`DNS:${h}`)) &&
      serverCert.verify(caCert.publicKey) &&
      new Date(caCert.validTo).getTime() > soon &&
      new Date(serverCert.validTo).getTime() > soon
    );
  } catch {
    return false;
  }
}

function generate(dir: string): void {
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  };
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca-key.pem");
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca-key.pem",
    "-sha256",
    "-days",
    "825",
    "-subj",
    "/CN=native-web-sso test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE,pathlen:0",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-out",
    "ca.pem",
  );
  signServerCertificate({
    dir,
    hosts: TEST_CERT_HOSTS,
    commonName: "localhost",
    caFile: join(dir, "ca.pem"),
    caKeyFile: join(dir, "ca-key.pem"),
    days: 397,
  });
}

/** What {@link signServerCertificate} needs. */
export interface SignServerCertificateOptions {
  /** Folder to write `server.pem` and `server-key.pem` (and the request, extensions and serial) into. */
  dir: string;
  /** Host names and IP addresses the certificate is valid for. */
  hosts: readonly string[];
  /** Subject common name. */
  commonName: string;
  /** PEM file of the signing CA and of its key. */
  caFile: string;
  caKeyFile: string;
  /** Validity in days. */
  days: number;
}

/**
 * Makes a P-256 key (PKCS#8, which every consumer accepts) and a server certificate for the hosts,
 * signed by the CA, as `server-key.pem` and `server.pem` in `dir`. IP addresses become IP SANs.
 */
export function signServerCertificate(options: SignServerCertificateOptions): void {
  const { dir } = options;
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  };
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-key.pem");
  openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec-key.pem", "-out", "server-key.pem");
  openssl(
    "req",
    "-new",
    "-key",
    "server-key.pem",
    "-subj",
    `/CN=${options.commonName}`,
    "-out",
    "server.csr",
  );
  const altNames = options.hosts.map((h) => (/^[\d.:]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
  writeFileSync(
    join(dir, "server.ext"),
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${altNames}`,
      "",
    ].join("\n"),
  );
  openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    options.caFile,
    "-CAkey",
    options.caKeyFile,
    // The serial file stays in this folder, never next to a shared CA.
    "-CAcreateserial",
    "-CAserial",
    join(dir, "server.srl"),
    "-days",
    String(options.days),
    "-sha256",
    "-extfile",
    "server.ext",
    "-out",
    "server.pem",
  );
}
