/**
 * One end-to-end environment for a rendered stack: the local tenant and the web app (the same
 * `createApp` the Lambda runs) on port 443 of their own loopback addresses under the stack's host
 * names, those names mapped in this process and in Chromium, and a mobile app simulator per
 * device address.
 */

import type { Browser } from "playwright-core";
import type { LogRecord } from "../app/log";
import { startServer, type StartedServer } from "../app/server";
import { launchChromium } from "./browser";
import { certificateFor, type HostCertificate } from "./certs";
import { chromiumHostRules, mapHostsInProcess, planLoopback, type LoopbackPlan } from "./hosts";
import { MobileAppSimulator } from "./mobile-app-simulator";
import { startSpaServer, type SpaServer } from "./spa/server";
import { tenantClientsOf, type SpaUnderTest, type StackUnderTest } from "./stack";
import { postLoginActionCodes } from "../testkit/post-login-actions";
import { startTenant, type LocalTenant } from "../testkit/tenant";
import { sessionTransferAudience } from "../testkit/tenant/session-transfer";
import { TenantLogStream } from "../testkit/tenant-log-stream";

/** A running environment. */
export interface Environment {
  readonly plan: LoopbackPlan;
  readonly tenant: LocalTenant;
  readonly browser: Browser;
  /** The stack the tenant and the web app currently run with. */
  readonly stack: StackUnderTest;
  /** Every record the web app logged, as JSON lines. */
  readonly webLog: string[];
  /** What the tenant's Auth0 log stream would have delivered to EventBridge. */
  readonly logStream: TenantLogStream;
  /** Every request the single-page apps' servers answered, as `METHOD /path status`. */
  readonly spaLog: string[];
  /**
   * A freshly installed native app on a device address (default: the browser's), shipped with the
   * client ID of one entry of the `nativeClients` output (default: the shared client).
   */
  mobileApp(deviceAddress?: string, nativeClient?: string): MobileAppSimulator;
  /** Runs the tenant and the web app with a re-rendered stack (same host names). */
  reconfigure(stack: StackUnderTest): Promise<void>;
  close(): Promise<void>;
}

function mobileAppOf(stack: StackUnderTest, nativeClient: string): StackUnderTest["mobileApp"] {
  const settings = stack.mobileApps[nativeClient];
  if (!settings) throw new Error(`the stack declares no native client "${nativeClient}"`);
  return settings;
}

/** Starts the environment for a stack. */
export async function startEnvironment(initial: StackUnderTest): Promise<Environment> {
  const plan = planLoopback();
  // Each single-page app on an address of its own next to the tenant's and the web app's.
  const prefix = plan.tenant.slice(0, plan.tenant.lastIndexOf("."));
  const spaAddress = new Map(initial.spas.map((spa, i) => [spa.host, `${prefix}.${30 + i}`]));
  const hosts = {
    [initial.tenantHost]: plan.tenant,
    [initial.webHost]: plan.web,
    ...Object.fromEntries(spaAddress),
  };
  const certificate: HostCertificate = certificateFor(Object.keys(hosts));
  const unmap = mapHostsInProcess(hosts);
  const webLog: string[] = [];
  const spaLog: string[] = [];
  const logStream = new TenantLogStream(
    {
      tenant: initial.tenantHost.split(".")[0] ?? initial.tenantHost,
      account: "123456789012",
      region: initial.model.config["aws:region"] ?? "us-east-1",
    },
    sessionTransferAudience(initial.tenantHost),
    initial.tenantHost,
  );
  let stack = initial;
  let web: StartedServer | undefined;
  let spas: SpaServer[] = [];
  let tenant: LocalTenant | undefined;
  let browser: Browser | undefined;

  const startWeb = async (s: StackUnderTest): Promise<StartedServer> =>
    startServer({
      settings: { ...s.webAppSettings, log: (record: LogRecord) => void webLog.push(JSON.stringify(record)) },
      host: plan.web,
      port: 443,
      tls: { cert: certificate.cert, key: certificate.key },
    });

  const startSpas = async (s: StackUnderTest): Promise<SpaServer[]> =>
    Promise.all(
      s.spas.map((spa: SpaUnderTest) =>
        startSpaServer({
          settings: spa.settings,
          address: spaAddress.get(spa.host) ?? "",
          port: 443,
          tls: { cert: certificate.cert, key: certificate.key },
          log: spaLog,
        }),
      ),
    );

  const close = async (): Promise<void> => {
    await browser?.close();
    await Promise.all(spas.map((spa) => spa.close()));
    await web?.close();
    await tenant?.close();
    unmap();
  };

  try {
    tenant = await startTenant({
      host: stack.tenantHost,
      clients: tenantClientsOf(stack),
      address: plan.tenant,
      certificate,
      onEvent: logStream.record,
      onPasswordLogin: logStream.recordPasswordLogin,
      // The post-login Actions the stack binds run where Auth0 runs them.
      postLoginActions: postLoginActionCodes(stack.model),
    });
    web = await startWeb(stack);
    spas = await startSpas(stack);
    browser = await launchChromium(chromiumHostRules(hosts), [certificate.spkiSha256]);
  } catch (error) {
    await close();
    if ((error as NodeJS.ErrnoException).code === "EACCES") {
      throw new Error(
        "Listening on port 443 of a loopback address needs root or CAP_NET_BIND_SERVICE " +
          "(or sysctl net.ipv4.ip_unprivileged_port_start=443): the stack's URLs carry no port.",
        { cause: error },
      );
    }
    throw error;
  }
  const running = { tenant, browser };

  return {
    plan,
    tenant: running.tenant,
    browser: running.browser,
    get stack() {
      return stack;
    },
    webLog,
    spaLog,
    logStream,
    mobileApp: (deviceAddress = plan.browserDevice, nativeClient = "shared") =>
      new MobileAppSimulator({
        settings: nativeClient === "shared" ? stack.mobileApp : mobileAppOf(stack, nativeClient),
        tenantAddress: plan.tenant,
        deviceAddress,
        ca: certificate.ca,
      }),
    reconfigure: async (next) => {
      if (
        next.tenantHost !== stack.tenantHost ||
        next.webHost !== stack.webHost ||
        next.spas.some((spa) => !spaAddress.has(spa.host))
      ) {
        throw new Error("reconfigure keeps the host names; start another environment for other names");
      }
      running.tenant.configure(tenantClientsOf(next));
      if (
        JSON.stringify(next.spas.map((s) => s.settings)) !== JSON.stringify(stack.spas.map((s) => s.settings))
      ) {
        await Promise.all(spas.map((spa) => spa.close()));
        spas = await startSpas(next);
      }
      if (JSON.stringify(next.webAppSettings) !== JSON.stringify(stack.webAppSettings)) {
        await web?.close();
        web = await startWeb(next);
      }
      stack = next;
    },
    close,
  };
}
