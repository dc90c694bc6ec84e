/** Who may answer an edition (issue 19): shared by the admin page's form and the server. */
import type { EditionAccess } from "~/db/schema";

export const ACCESS_MODES = ["open", "code", "both"] as const satisfies readonly EditionAccess[];

export function isAccessMode(value: unknown): value is EditionAccess {
  return (ACCESS_MODES as readonly unknown[]).includes(value);
}
