/**
 * OIDC configuration from the environment and the role the provider's claims give (decision 022).
 */
import { describe, expect, it } from "vitest";
import { parseOidcConfig, parseRoleMap } from "~/utils/env.server";
import { roleFromClaims } from "~/utils/oidc-roles";

const BASE = {
  OIDC_ISSUER: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
  OIDC_CLIENT_ID: "client",
  OIDC_CLIENT_SECRET: "secret",
  OIDC_ROLE_MAP: "g-admin=admin, g-analys=analyst\ng-samtal=facilitator",
};

describe("parseOidcConfig", () => {
  it("is off without OIDC_ISSUER, and has defaults for scopes, claim and redirect URI", () => {
    expect(parseOidcConfig({})).toBeNull();
    const config = parseOidcConfig(BASE)!;
    expect(config.scopes).toBe("openid email profile");
    expect(config.roleClaim).toBe("groups");
    expect(config.redirectUri).toBeNull();
    expect([...config.roleMap]).toEqual([["g-admin", "admin"], ["g-analys", "analyst"], ["g-samtal", "facilitator"]]);
    expect(parseOidcConfig({ ...BASE, OIDC_SCOPES: "email groups" })!.scopes).toBe("openid email groups");
  });

  it("needs client id, secret and a role map, and names what is missing", () => {
    expect(() => parseOidcConfig({ ...BASE, OIDC_CLIENT_SECRET: "" })).toThrow(/OIDC_CLIENT_SECRET is required/);
    expect(() => parseOidcConfig({ ...BASE, OIDC_ROLE_MAP: undefined })).toThrow(/OIDC_ROLE_MAP is required/);
    expect(() => parseRoleMap("g1=king")).toThrow(/"g1=king" is not <group>=admin\|analyst\|facilitator/);
    expect(() => parseRoleMap(" , ")).toThrow(/maps no group/);
    expect([...parseRoleMap("a=b=analyst")]).toEqual([["a=b", "analyst"]]);
  });

  it("wants https; plain HTTP only to loopback with the test flag", () => {
    expect(() => parseOidcConfig({ ...BASE, OIDC_ISSUER: "http://idp.kommun.se/realms/x" })).toThrow(/must be an https/);
    expect(() => parseOidcConfig({ ...BASE, OIDC_ISSUER: "http://127.0.0.1:8080" })).toThrow(/must be an https/);
    expect(() => parseOidcConfig({ ...BASE, OIDC_ISSUER: "http://idp.kommun.se", OIDC_ALLOW_INSECURE_HTTP: "on" })).toThrow(/must be an https/);
    expect(parseOidcConfig({ ...BASE, OIDC_ISSUER: "http://127.0.0.1:8080", OIDC_ALLOW_INSECURE_HTTP: "on" })!.issuer.href).toBe("http://127.0.0.1:8080/");
  });

  it("takes a redirect URI only for this site's callback path", () => {
    expect(parseOidcConfig({ ...BASE, OIDC_REDIRECT_URI: "https://trygg.kommun.se/logga-in/oidc/callback" })!.redirectUri).toBe(
      "https://trygg.kommun.se/logga-in/oidc/callback",
    );
    expect(() => parseOidcConfig({ ...BASE, OIDC_REDIRECT_URI: "https://trygg.kommun.se/callback" })).toThrow(/must end in/);
    expect(() => parseOidcConfig({ ...BASE, OIDC_REDIRECT_URI: "http://trygg.kommun.se/logga-in/oidc/callback" })).toThrow(/must be https/);
  });
});

describe("roleFromClaims", () => {
  const map = parseRoleMap("g-admin=admin,g-analys=analyst,g-samtal=facilitator,/kommun/trygghet=analyst");

  it("gives the highest mapped role, ignoring groups that are not mapped", () => {
    expect(roleFromClaims({ groups: ["x", "g-samtal"] }, "groups", map)).toEqual({ role: "facilitator", seen: 2, overage: false });
    expect(roleFromClaims({ groups: ["g-samtal", "g-analys"] }, "groups", map).role).toBe("analyst");
    expect(roleFromClaims({ groups: ["g-samtal", "g-admin", "g-analys"] }, "groups", map).role).toBe("admin");
    expect(roleFromClaims({ groups: ["x", "y"] }, "groups", map)).toEqual({ role: null, seen: 2, overage: false });
    expect(roleFromClaims({}, "groups", map)).toEqual({ role: null, seen: 0, overage: false });
  });

  it("reads one string, a dotted path (Keycloak's realm_access.roles), and Keycloak's full group paths", () => {
    expect(roleFromClaims({ roles: "g-analys" }, "roles", map).role).toBe("analyst");
    expect(roleFromClaims({ realm_access: { roles: ["offline_access", "g-admin"] } }, "realm_access.roles", map).role).toBe("admin");
    expect(roleFromClaims({ groups: ["/kommun/trygghet"] }, "groups", map).role).toBe("analyst");
    // Case matters: a group named differently is a different group.
    expect(roleFromClaims({ groups: ["G-ADMIN"] }, "groups", map).role).toBeNull();
  });

  it("notices Entra ID's group overage (a reference instead of the groups) and gives nothing", () => {
    const claims = { _claim_names: { groups: "src1" }, _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/…" } } };
    expect(roleFromClaims(claims, "groups", map)).toEqual({ role: null, seen: 0, overage: true });
  });
});
