/**
 * Names shared by the staff forms (browser) and their checks (server): the hidden input that
 * carries the session's CSRF token, and the text of the 403 a form without it gets, which the
 * error page recognises.
 */
export const CSRF_FIELD = "csrf";
export const INVALID_FORM_TOKEN = "Invalid form token";
