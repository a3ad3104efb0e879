/**
 * The native app, as the Auth0 mobile SDKs behave: it signs in with the authorization code flow,
 * PKCE and `offline_access`, keeps its (rotating) refresh token, and right before opening the web
 * app exchanges it for a session transfer token (`POST /oauth/token`, `grant_type=refresh_token`,
 * `audience=urn:<domain>:session_transfer`). It is configured only by the stack's outputs for
 * the mobile teams, and talks to the tenant from a chosen loopback address: its "device".
 */

import { createHash, randomBytes } from "node:crypto";
import { request } from "node:https";
import type { MobileAppSettings } from "./stack";

/** A token endpoint answer. */
export interface TokenResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A plain HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly location?: string;
  readonly text: string;
}

/** Options of {@link MobileAppSimulator}. */
export interface MobileAppSimulatorOptions {
  readonly settings: MobileAppSettings;
  /** Where the tenant listens (its host name resolves there for this app). */
  readonly tenantAddress: string;
  /** The app's own address: what the tenant sees as the device's IP. */
  readonly deviceAddress: string;
  /** PEM of the CA the tenant's certificate chains to. */
  readonly ca: string;
}

/** A signed-in native app. */
export class MobileAppSimulator {
  /** The current refresh token (replaced when the tenant rotates it). */
  refreshToken: string | undefined;
  /** The subject of the signed-in user, from the ID token. */
  subject: string | undefined;
  private readonly cookies = new Map<string, string>();
  private deviceAddress: string;

  constructor(private readonly options: MobileAppSimulatorOptions) {
    this.deviceAddress = options.deviceAddress;
  }

  /** What the app shipped with (its client ID, redirect URLs, the web app it opens). */
  get settings(): MobileAppSettings {
    return this.options.settings;
  }

  /** The same app built with other settings (e.g. another client ID), on the same device, signed out. */
  withSettings(change: Partial<MobileAppSettings>): MobileAppSimulator {
    return new MobileAppSimulator({ ...this.options, settings: { ...this.options.settings, ...change } });
  }

  /** Moves the app to another address (another network, or another device entirely). */
  moveTo(address: string): void {
    this.deviceAddress = address;
  }

  /**
   * Signs in as the SDK's web authentication would: `/authorize` with PKCE and `offline_access`,
   * the tenant's login form, the code from the redirect to the app's callback, then the token request.
   */
  async signIn(email: string, password: string): Promise<void> {
    const { settings } = this.options;
    const redirectUri = settings.redirectUrls[0];
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(16).toString("base64url");
    const authorize = new URL(`https://${settings.domain}/authorize`);
    authorize.search = new URLSearchParams({
      client_id: settings.clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      // The kit's scopes: offline_access for the refresh token the exchange spends, openid for the id_token.
      scope: settings.scopes.join(" "),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      state,
    }).toString();

    let answer = await this.followToPage(authorize.toString(), redirectUri);
    const action = /<form method="post" action="([^"]+)"/.exec(answer.text)?.[1];
    if (!action) throw new Error(`no login form at the tenant (HTTP ${answer.status})`);
    answer = await this.send(
      "POST",
      new URL(action, authorize).toString(),
      new URLSearchParams({ email, password }),
    );
    if (answer.location === undefined) throw new Error(`login was not accepted (HTTP ${answer.status})`);
    const callback = await this.followToCallback(new URL(answer.location, authorize).toString(), redirectUri);
    if (callback.searchParams.get("state") !== state) throw new Error("state mismatch at the app's callback");
    const code = callback.searchParams.get("code");
    if (!code) throw new Error(`no code at the app's callback: ${callback.searchParams.get("error") ?? "?"}`);

    const tokens = await this.token({
      grant_type: "authorization_code",
      client_id: settings.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    if (tokens.status !== 200 || typeof tokens.body.refresh_token !== "string") {
      throw new Error(
        `sign-in gave no refresh token: ${JSON.stringify(tokens.body.error ?? tokens.body.scope)}`,
      );
    }
    this.refreshToken = tokens.body.refresh_token;
    this.subject = subjectOf(tokens.body.id_token);
  }

  /**
   * Runs `/authorize` with the given parameters as a browser without a user would (cookies kept,
   * redirects followed): ends at the client's redirect URI, or at the page where the tenant stopped.
   */
  async authorize(params: Record<string, string>): Promise<{ callback?: URL; page?: Answer }> {
    const url = new URL(`https://${this.options.settings.domain}/authorize`);
    url.search = new URLSearchParams(params).toString();
    let current = url.toString();
    for (let hop = 0; hop < 10; hop++) {
      if (params.redirect_uri && current.startsWith(params.redirect_uri))
        return { callback: new URL(current) };
      const answer = await this.send("GET", current);
      if (answer.location === undefined) return { page: answer };
      current = new URL(answer.location, current).toString();
    }
    throw new Error("too many redirects");
  }

  /**
   * Exchanges the current refresh token for a session transfer token, keeping the rotated refresh
   * token as the SDKs do. Returns the tenant's answer as is.
   */
  async exchangeForSessionTransferToken(refreshToken = this.refreshToken): Promise<TokenResponse> {
    if (!refreshToken) throw new Error("not signed in");
    const answer = await this.token({
      grant_type: "refresh_token",
      client_id: this.options.settings.clientId,
      refresh_token: refreshToken,
      audience: this.options.settings.sessionTransferAudience,
    });
    if (answer.status === 200 && typeof answer.body.refresh_token === "string") {
      this.refreshToken = answer.body.refresh_token;
    }
    return answer;
  }

  /** The session transfer token of a successful exchange; throws with the tenant's error otherwise. */
  async sessionTransferToken(): Promise<string> {
    const answer = await this.exchangeForSessionTransferToken();
    if (answer.status !== 200 || typeof answer.body.access_token !== "string") {
      throw new Error(
        `exchange refused: ${String(answer.body.error)}: ${String(answer.body.error_description)}`,
      );
    }
    return answer.body.access_token;
  }

  /** A request to the tenant's token endpoint (public client: no secret). */
  async token(form: Record<string, string>, basicAuth?: string): Promise<TokenResponse> {
    const answer = await this.send(
      "POST",
      `https://${this.options.settings.domain}/oauth/token`,
      new URLSearchParams(form),
      basicAuth,
    );
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      body = { error: "not_json", error_description: answer.text.slice(0, 200) };
    }
    return { status: answer.status, body };
  }

  private async followToPage(url: string, stopAt: string): Promise<Answer> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const answer = await this.send("GET", current);
      if (answer.location === undefined) return answer;
      const next = new URL(answer.location, current).toString();
      if (next.startsWith(stopAt)) throw new Error("signed in without a login form");
      current = next;
    }
    throw new Error("too many redirects");
  }

  private async followToCallback(url: string, redirectUri: string): Promise<URL> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      if (current.startsWith(redirectUri)) return new URL(current);
      const answer = await this.send("GET", current);
      if (answer.location === undefined)
        throw new Error(`stopped at HTTP ${answer.status} before the callback: ${visibleText(answer.text)}`);
      current = new URL(answer.location, current).toString();
    }
    throw new Error("too many redirects");
  }

  /** One HTTPS request to the tenant from the device address, with the tenant's cookies. */
  private send(
    method: "GET" | "POST",
    url: string,
    form?: URLSearchParams,
    basicAuth?: string,
  ): Promise<Answer> {
    const target = new URL(url);
    if (target.hostname !== this.options.settings.domain) throw new Error(`the app only talks to its tenant`);
    const body = form?.toString();
    const headers: Record<string, string> = { Host: target.hostname, Accept: "text/html,application/json" };
    if (this.cookies.size > 0) {
      headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      headers["Content-Length"] = String(Buffer.byteLength(body));
    }
    if (basicAuth) headers.Authorization = `Basic ${basicAuth}`;
    return new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          method,
          host: this.options.tenantAddress,
          port: 443,
          servername: target.hostname,
          localAddress: this.deviceAddress,
          path: target.pathname + target.search,
          headers,
          ca: this.options.ca,
          agent: false,
        },
        (res) => {
          for (const header of res.headers["set-cookie"] ?? []) {
            const [pair] = header.split(";");
            const eq = pair.indexOf("=");
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            if (/max-age=0|expires=thu, 01 jan 1970/i.test(header) || value === "") this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              location: res.headers.location,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}

function subjectOf(idToken: unknown): string | undefined {
  if (typeof idToken !== "string") return undefined;
  const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as {
    sub?: unknown;
  };
  return typeof payload.sub === "string" ? payload.sub : undefined;
}

/** The visible text of an HTML page, shortened: for error messages. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}
