/**
 * Argument helpers shared by the commands. A UsageError is printed with the command's usage and
 * exits with code 2.
 */
export class UsageError extends Error {}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

export function requiredYear(values: Record<string, unknown>, name = "year"): number {
  const year = Number(required(values, name));
  if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new UsageError(`--${name} must be a year such as 2025`);
  return year;
}
