/**
 * The form for every staff action: a Remix <Form method="post"> that carries the session's CSRF
 * token (the root loader's `csrf`) in a hidden `csrf` input, which the action checks with
 * requireStaffForm (app/utils/session.server.ts). Use it instead of <Form> for anything a
 * signed-in user does.
 */
import { Form, useRouteLoaderData, type FormProps } from "@remix-run/react";
import { CSRF_FIELD } from "~/utils/csrf";

export function useCsrfToken(): string {
  return useRouteLoaderData<{ csrf?: string | null }>("root")?.csrf ?? "";
}

export function StaffForm({ children, method = "post", ...props }: FormProps) {
  const csrf = useCsrfToken();
  return (
    <Form method={method} {...props}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {children}
    </Form>
  );
}
