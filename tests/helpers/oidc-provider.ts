/**
 * A real OpenID provider (oidc-provider, the certified implementation openid-client is tested
 * against) on a loopback port, in the test's own process: one confidential client, test people
 * whose `groups` the test may change between sign-ins, and the library's development sign-in
 * form (any password), which a test fills in Chromium. Consent is pre-granted, as an IT
 * department does for its own applications. Groups are put in the id_token, as Entra ID does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestPerson {
  email: string;
  name: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: Map<string, TestPerson>;
  /** Call once the app's port is known: the client's redirect URI names it. */
  configure: (redirectUri: string) => void;
  close: () => Promise<void>;
}

export const SCOPES = "openid email profile groups";

export async function startTestProvider(people: Record<string, TestPerson>): Promise<TestProvider> {
  let handler: http.RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end("not configured yet");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const directory = new Map(Object.entries(people));
  const clientId = "trygghetsdialog-test";
  const clientSecret = "a-client-secret-only-for-tests-0123456789";

  const configure = (redirectUri: string) => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_post",
        },
      ],
      scopes: ["openid", "email", "profile", "groups"],
      claims: { openid: ["sub"], email: ["email"], profile: ["name"], groups: ["groups"] },
      conformIdTokenClaims: false,
      cookies: { keys: ["test-cookie-key-not-secret"] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      async findAccount(_ctx, id) {
        const person = directory.get(id);
        if (!person) return undefined;
        return {
          accountId: id,
          async claims() {
            // Read at every token: a group changed by the test shows at the next sign-in.
            return { sub: id, email: person.email, name: person.name, groups: [...person.groups] };
          },
        };
      },
      async loadExistingGrant(ctx) {
        const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
        if (existing) return ctx.oidc.provider.Grant.find(existing);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
        grant.addOIDCScope(SCOPES);
        await grant.save();
        return grant;
      },
    });
    handler = provider.callback();
  };

  return {
    issuer,
    clientId,
    clientSecret,
    people: directory,
    configure,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
