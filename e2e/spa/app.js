/* global auth0, document, fetch, history, location, window */
/**
 * The single-page app's whole sign-in code: Auth0's SPA SDK does the rest (authorization code flow
 * with PKCE, the token request, the ID token checks). With `sessionTransferTokenQueryParamName`
 * the SDK reads `?session_transfer_token=` from the URL, removes it with `history.replaceState`
 * and sends it to `/authorize` (auth0/auth0-spa-js src/Auth0Client.ts, EXAMPLES.md "Native to Web
 * SSO"). Routes: `/login` (the Application Login URI) starts a login, `/callback` finishes it,
 * every other path shows who is signed in.
 */
"use strict";

async function main() {
  const config = await (await fetch("/auth_config.json", { cache: "no-store" })).json();
  const client = await auth0.createAuth0Client({
    domain: config.domain,
    clientId: config.clientId,
    authorizationParams: { redirect_uri: config.redirectUri },
    sessionTransferTokenQueryParamName: "session_transfer_token",
  });

  if (location.pathname === "/login") {
    // Replace the login entry instead of adding one, so Back never returns to the login route.
    await client.loginWithRedirect({ openUrl: (url) => window.location.replace(url) });
    return;
  }
  if (location.pathname === "/callback") {
    try {
      await client.handleRedirectCallback();
    } catch (error) {
      show("error", String(error && error.message ? error.message : error));
    }
    // The code and state are spent: the user ends on the app's own URL.
    history.replaceState(null, "", "/");
  }

  const user = await client.getUser();
  const status = document.getElementById("status");
  status.dataset.signedIn = String(Boolean(user));
  status.textContent = user ? "Signed in" : "Signed out";
  if (user) {
    show("sub", user.sub);
    show("user", user.name || "");
  } else {
    const button = document.getElementById("login");
    button.hidden = false;
    button.addEventListener("click", () => void client.loginWithRedirect());
  }
}

function show(id, text) {
  document.getElementById(id).textContent = text;
}

main().catch((error) => show("error", String(error && error.message ? error.message : error)));
