/**
 * Server certificates for the host names a stack declares (its tenant domain, its web domain),
 * signed by the one test CA of `testkit/tls.ts`.
 *
 * One CA, because Node reads `NODE_EXTRA_CA_CERTS` only at start-up: the vitest global setup
 * points it at that CA, so the web app's discovery and token requests trust these certificates
 * without any per-request option. Chromium trusts the leaf by its public key hash instead
 * (`--ignore-certificate-errors-spki-list`), which needs no system trust store.
 */

import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTestCertificates, signServerCertificate } from "../testkit/tls";

/** A server certificate for a set of host names. */
export interface HostCertificate {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
  /** The host names it is valid for. */
  readonly hosts: readonly string[];
  /** base64 SHA-256 of its SubjectPublicKeyInfo: what Chromium's SPKI allow-list takes. */
  readonly spkiSha256: string;
  /** PEM of the CA that signed it. */
  readonly ca: string;
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Returns a certificate for the host names, made once per CA and name set and cached in the temp
 * directory. Throws when the test CA's key is not where `testkit/tls.ts` keeps it.
 */
export function certificateFor(hosts: readonly string[]): HostCertificate {
  const caSet = ensureTestCertificates();
  const caKeyFile = join(caSet.dir, "ca-key.pem");
  if (!existsSync(caKeyFile)) {
    throw new Error(
      `The test CA key is missing (${caKeyFile}): cannot sign certificates for ${hosts.join(", ")}`,
    );
  }
  const names = [...new Set(hosts)].sort();
  const id = createHash("sha256").update(caSet.ca).update(names.join(",")).digest("hex").slice(0, 16);
  const root = join(tmpdir(), "native-web-sso-e2e-certs");
  const dir = join(root, id);
  if (!usable(dir)) {
    mkdirSync(root, { recursive: true });
    const scratch = mkdtempSync(join(root, ".new-"));
    signServerCertificate({
      dir: scratch,
      hosts: names,
      commonName: names[0],
      caFile: caSet.caFile,
      caKeyFile,
      days: 30,
    });
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(scratch, dir);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // another process made the same set
    }
  }
  const cert = readFileSync(join(dir, "server.pem"), "utf8");
  const spki = new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" });
  return {
    cert,
    key: readFileSync(join(dir, "server-key.pem"), "utf8"),
    hosts: names,
    spkiSha256: createHash("sha256").update(spki).digest("base64"),
    ca: caSet.ca,
  };
}

function usable(dir: string): boolean {
  try {
    const cert = new X509Certificate(readFileSync(join(dir, "server.pem")));
    return (
      new Date(cert.validTo).getTime() > Date.now() + ONE_DAY_MS && existsSync(join(dir, "server-key.pem"))
    );
  } catch {
    return false;
  }
}
