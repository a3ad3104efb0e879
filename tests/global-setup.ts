/**
 * vitest global setup: runs once in the main process before the worker forks, which inherit its
 * environment. Node reads NODE_EXTRA_CA_CERTS only at start-up, so it must be set here, not in a test.
 */

import { ensureTestCertificates } from "../testkit/tls";

/** Makes (or reuses) the test CA and lets every worker trust it. */
export default function setup(): void {
  const certificates = ensureTestCertificates();
  process.env.NODE_EXTRA_CA_CERTS = certificates.caFile;
}
