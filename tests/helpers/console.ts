/**
 * Every test fails on a console.error it did not ask for (the epic-stack habit): an error the
 * code under test logs is either a bug or a behaviour the test should state. A test that provokes
 * one says so with `expectConsoleError(/pattern/)`; then a matching call is kept out of the
 * output, and the test fails if none came. tests/setup.ts installs the guard around every test.
 * (Server child processes log to their own output, which tests read through RunningServer.)
 */
import { format } from "node:util";

const original = console.error;
let expected: { pattern: RegExp; seen: number }[] = [];
let unexpected: string[] = [];

/** This test provokes a console.error matching `pattern` (at least once). */
export function expectConsoleError(pattern: RegExp): void {
  expected.push({ pattern, seen: 0 });
}

export function installConsoleGuard(): void {
  expected = [];
  unexpected = [];
  console.error = (...args: unknown[]) => {
    const text = format(...args);
    const hit = expected.find((e) => e.pattern.test(text));
    if (hit) {
      hit.seen++;
      return;
    }
    unexpected.push(text);
    original(...args);
  };
}

/** Removes the guard and throws (failing the test) on an unexpected call or a missing expected one. */
export function checkConsoleGuard(): void {
  console.error = original;
  const problems: string[] = [];
  if (unexpected.length > 0) {
    problems.push(
      `console.error was called ${unexpected.length} time(s) unexpectedly; if the test provokes it, say so with expectConsoleError(/…/):\n` +
        unexpected.map((u) => `  ${u.split("\n")[0]}`).join("\n"),
    );
  }
  for (const e of expected) if (e.seen === 0) problems.push(`an expected console.error matching ${e.pattern} never came`);
  expected = [];
  unexpected = [];
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
