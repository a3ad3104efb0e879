/**
 * Name resolution for the run: the stack's host names (a tenant such as `acme-dev.eu.auth0.com`,
 * the web app's execute-api or custom domain) resolve to loopback addresses of this run, in this
 * process and in Chromium, and nowhere else.
 *
 * Why real names on port 443: the stack's configuration only takes bare `https` host names (no
 * port), and the web app builds its callback and the tenant its issuer from them. So each server
 * listens on port 443 of its own loopback address (Linux routes all of 127.0.0.0/8 to `lo`; we run
 * as root) and every client maps the names: Chromium by `--host-resolver-rules`, this process by a
 * wrapper around `dns.lookup`, which `net`/`tls` (and so `fetch`) call for every connection.
 * Addresses are random per run, so two runs on one machine do not collide.
 */

import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import { randomInt } from "node:crypto";

/** Loopback addresses of one run: one per server, plus "device" addresses for clients. */
export interface LoopbackPlan {
  /** Where the tenant listens. */
  readonly tenant: string;
  /** Where the web app listens. */
  readonly web: string;
  /** The address Chromium's connections come from: the kernel picks 127.0.0.1 on `lo`. */
  readonly browserDevice: string;
  /** A second client address, "another device" (or the same phone after an IP change). */
  readonly otherDevice: string;
}

/** Picks addresses in a random 127.x.y.0/24 for the servers; Chromium always comes from 127.0.0.1. */
export function planLoopback(): LoopbackPlan {
  const prefix = `127.${randomInt(1, 255)}.${randomInt(0, 256)}`;
  return {
    tenant: `${prefix}.10`,
    web: `${prefix}.20`,
    browserDevice: "127.0.0.1",
    otherDevice: `${prefix}.200`,
  };
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
type LookupFunction = (
  hostname: string,
  options: LookupOptions | number | LookupCallback,
  callback?: LookupCallback,
) => void;

const mapped = new Map<string, string>();
let original: LookupFunction | undefined;

/**
 * Makes `dns.lookup` in this process answer the given names with the given IPv4 addresses.
 * Returns a function that removes exactly these names again (and the wrapper with the last one).
 */
export function mapHostsInProcess(hosts: Readonly<Record<string, string>>): () => void {
  for (const [name, address] of Object.entries(hosts)) mapped.set(name.toLowerCase(), address);
  if (!original) {
    original = dns.lookup as unknown as LookupFunction;
    const wrapper: LookupFunction = (hostname, options, callback) => {
      const cb = (typeof options === "function" ? options : callback) as LookupCallback;
      const address = mapped.get(hostname.toLowerCase());
      const prior = original as LookupFunction;
      if (address === undefined) {
        prior(hostname, options, callback);
        return;
      }
      const all = typeof options === "object" && options !== null && options.all === true;
      process.nextTick(() => (all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)));
    };
    (dns as unknown as { lookup: LookupFunction }).lookup = wrapper;
  }
  return () => {
    for (const name of Object.keys(hosts)) mapped.delete(name.toLowerCase());
    if (mapped.size === 0 && original) {
      (dns as unknown as { lookup: LookupFunction }).lookup = original;
      original = undefined;
    }
  };
}

/**
 * Chromium's `--host-resolver-rules` value: the given names to their addresses, every other name
 * unresolvable, so the browser cannot leave the machine even by accident.
 */
export function chromiumHostRules(hosts: Readonly<Record<string, string>>): string {
  return [
    ...Object.entries(hosts).map(([name, address]) => `MAP ${name} ${address}`),
    "MAP * ~NOTFOUND",
  ].join(", ");
}
