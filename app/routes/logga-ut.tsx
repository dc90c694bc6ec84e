/** Sign-out: a staff form (the header's button), so it needs the session's CSRF token. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { ROLES } from "~/models/user.server";
import { endSession, getOptionalUser, requireStaffForm } from "~/utils/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  // Without a live session there is nothing to protect: clear whatever cookie came, go home.
  if (!(await getOptionalUser(request))) return endSession(request);
  const { user } = await requireStaffForm(request, ROLES);
  await recordAudit({ db: getDb(), event: "sign-out", accountId: user.id, email: user.email, address: context.clientAddress ?? "unknown" });
  return endSession(request);
}

export async function loader() {
  return redirect("/");
}

/**
 * Never shown (the loader redirects, the action ends in a redirect), but it makes this a page
 * route, so a refused sign-out (403, a stale form token) gets the site's Swedish error page
 * rather than bare text when JavaScript is off.
 */
export default function SignOut() {
  return null;
}
