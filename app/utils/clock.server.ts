/**
 * Today's date for everything that follows an edition's dates (opening, closing, the day a
 * response or a code's use is stored). `TD_TODAY=YYYY-MM-DD` fixes it: tests set the server's
 * clock to a day before, inside or after a field period instead of waiting (never set it in
 * production). Read on every call, so a test in the same process can move it.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function today(): string {
  const fixed = process.env.TD_TODAY;
  if (fixed && DAY.test(fixed)) return fixed;
  return new Date().toISOString().slice(0, 10);
}
