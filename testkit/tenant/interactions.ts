/**
 * `/interaction/<uid>`: the tenant's login step. A session transfer token that `/authorize`
 * accepted signs its user in without a prompt; a refused one shows the login form with the
 * reason; first-party clients are never asked for consent (Auth0 skips it for them).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { TenantContext } from "./context";
import { finishAuthentication } from "./login";
import { html, loginPage, readForm } from "./pages";
import { normalizeIp, REFUSAL_MESSAGES } from "./session-transfer";
import { finishLogin } from "../post-login-actions";

/** Serves one interaction request. */
export async function interaction(
  tenant: TenantContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const provider = tenant.provider();
  const { user } = tenant;
  const details = await provider.interactionDetails(req, res);
  const client = tenant.clients.find(details.params.client_id);
  const clientName = client?.resourceName ?? "the application";
  const scope = typeof details.params.scope === "string" ? details.params.scope : undefined;
  if (req.method === "POST" && path.endsWith("/login")) {
    const form = await readForm(req);
    if (form.get("email") !== user.email || form.get("password") !== user.password) {
      loginPage(res, details.uid, clientName, "Wrong email or password.");
      return;
    }
    tenant.onPasswordLogin({ client, ip: normalizeIp(req.socket.remoteAddress ?? "") });
    // Post-login Actions run here, as at Auth0, before the tenant answers the app.
    await finishLogin(
      provider,
      tenant.postLogin.actions,
      req,
      res,
      { login: { accountId: user.sub } },
      { client, accountId: user.sub },
    );
    return;
  }
  if (req.method === "GET" && details.prompt.name === "consent" && client?.isFirstParty) {
    // First-party clients are not asked for consent: grant what they asked for.
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId: details.session?.accountId ?? "", clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();
    await finishAuthentication(provider, req, res, { grantId });
    return;
  }
  if (req.method !== "GET" || details.prompt.name !== "login") {
    html(res, 400, "Error", "<h1>Error</h1><p>Unsupported step.</p>");
    return;
  }
  const outcome = tenant.redemptions.get(details.uid);
  tenant.redemptions.delete(details.uid);
  if (outcome?.kind === "accepted" && client) {
    if (details.session?.accountId && details.session.accountId !== outcome.accountId) {
      loginPage(res, details.uid, clientName, "You were signed in as another user. Log in to continue.");
      return;
    }
    const grant = new provider.Grant({ accountId: outcome.accountId, clientId: client.clientId });
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();
    tenant.transfers.rememberTransferGrant(grantId);
    await finishLogin(
      provider,
      tenant.postLogin.actions,
      req,
      res,
      { login: { accountId: outcome.accountId, amr: ["session_transfer"] }, consent: { grantId } },
      {
        client,
        accountId: outcome.accountId,
        transfer: { nativeClientId: outcome.nativeClientId, ip: outcome.createdFromIp },
      },
    );
    return;
  }
  loginPage(
    res,
    details.uid,
    clientName,
    outcome?.kind === "refused" ? REFUSAL_MESSAGES[outcome.reason] : undefined,
  );
}
