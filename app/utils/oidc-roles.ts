/**
 * Which role the provider's groups give (decision 022). Pure: tested without a provider.
 *
 * The claim named by OIDC_ROLE_CLAIM (`groups`, `roles`, or a dotted path such as Keycloak's
 * `realm_access.roles`) may be a list or one string. Each value is looked up in OIDC_ROLE_MAP;
 * when several map, the highest role wins: admin, then analyst, then facilitator. Nothing is
 * given for values that are not in the map.
 */
import type { Role } from "~/db/schema";

/** Highest first. An analyst reads answers and figures; a facilitator only runs sessions. */
export const ROLE_RANK: Role[] = ["admin", "analyst", "facilitator"];

export interface RoleDecision {
  role: Role | null;
  /** How many values the claim held (for the audit trail and the refusal's log line). */
  seen: number;
  /** Whether the provider said the list was too long to send (Entra ID's "group overage"). */
  overage: boolean;
}

/** The claim at a dotted path, or undefined. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split(".")) {
    if (!value || typeof value !== "object" || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string, roleMap: Map<string, Role>): RoleDecision {
  const raw = claimAt(claims, roleClaim);
  const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).filter(
    (v): v is string => typeof v === "string",
  );
  const given = new Set(values.map((v) => roleMap.get(v)).filter((r): r is Role => r !== undefined));
  const role = ROLE_RANK.find((r) => given.has(r)) ?? null;
  // Entra ID sends `_claim_names: { groups: "src1" }` instead of the groups when a user is in too
  // many (over 200 in an id_token): the README says to send only the groups assigned to the app.
  const names = claims._claim_names;
  const overage = raw === undefined && !!names && typeof names === "object" && Object.hasOwn(names, roleClaim);
  return { role, seen: values.length, overage };
}
