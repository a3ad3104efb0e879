/**
 * The parts of an oidc-provider configuration that make it answer like an Auth0 tenant: Auth0's
 * endpoint paths, and the profile and email claims the web app reads. Shared by the plain local
 * issuer and the browser suite's tenant. A fresh object each call: the provider may keep and
 * change what it is given.
 */
export function auth0LikeProvider() {
  return {
    claims: { openid: ["sub"], profile: ["name"], email: ["email", "email_verified"] },
    routes: {
      authorization: "/authorize",
      token: "/oauth/token",
      userinfo: "/userinfo",
      jwks: "/.well-known/jwks.json",
      end_session: "/oidc/logout",
    },
  };
}
