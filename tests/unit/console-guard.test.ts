/** The console.error guard of tests/setup.ts can fail a test, both ways. */
import { describe, expect, it } from "vitest";
import { checkConsoleGuard, expectConsoleError, installConsoleGuard } from "../helpers/console";

describe("console.error guard", () => {
  it("fails on an unexpected call and on an expected one that never came; passes an expected one", () => {
    checkConsoleGuard(); // the guard setup.ts installed for this test: nothing logged so far
    installConsoleGuard();
    console.error("something broke");
    expect(() => checkConsoleGuard()).toThrow(/called 1 time\(s\) unexpectedly[\s\S]*something broke/);

    installConsoleGuard();
    expectConsoleError(/never logged/);
    expect(() => checkConsoleGuard()).toThrow(/matching \/never logged\/ never came/);

    installConsoleGuard();
    expectConsoleError(/as planned/);
    console.error("failed as planned");
    expect(() => checkConsoleGuard()).not.toThrow();
    installConsoleGuard(); // for setup.ts's own check after this test
  });
});
