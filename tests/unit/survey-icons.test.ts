/**
 * survey-react-ui's icon set cut to what our questionnaires show (decision 043): the build step's
 * copy registers exactly the kept icons, differs from the original only in the icon set, and
 * the build fails on a module that is not laid out as expected.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { isUnusedIcon, SOURCE, TARGET, trimIcons } from "../../scripts/trim-survey-icons.mjs";

const source = fs.readFileSync(SOURCE, "utf8");

describe("the trimmed SurveyJS icon set", () => {
  it("keeps every icon of the components our questionnaires have and leaves out the others", () => {
    const { kept, dropped } = trimIcons(source);
    expect(kept.length + dropped.length).toBe(64);
    for (const name of ["chevrondown-24x24", "cancel-24x24", "check-16x16", "radio-16x16", "clear-16x16", "grip", "more-24x24", "loading-48x48", "search-24x24"]) {
      expect(kept, name).toContain(name);
    }
    for (const name of ["smiley-rate1-24x24", "rating-star", "ranking-arrows", "file-72x72", "flip-24x24", "maximize-16x16"]) expect(dropped, name).toContain(name);
    expect(dropped.every(isUnusedIcon) && !kept.some(isUnusedIcon)).toBe(true);
  });

  it("writes the copy the survey page imports: only the icon set differs, and it is up to date", () => {
    const { text, dropped } = trimIcons(source);
    const written = fs.readFileSync(TARGET, "utf8");
    expect(written.slice(written.indexOf("\n") + 1)).toBe(text);
    const removedLines = source.split("\n").filter((line) => !text.split("\n").includes(line));
    expect(removedLines.filter((l) => !/^\s*"[^"]+": \w+,$/.test(l) && !l.startsWith("//# sourceMappingURL"))).toEqual([]);
    expect(removedLines.filter((l) => /^\s*"[^"]+": \w+,$/.test(l))).toHaveLength(dropped.length);
  });

  it("fails on a module whose icon set is not where it was", () => {
    expect(() => trimIcons(source.replace("const icons = {", "const iconSet = {"))).toThrow(/new version/);
    expect(() => trimIcons(source.replace('  "radio-16x16": radio_16x16,', '  "radio-16x16": radio_16x16 ? 1 : 0,'))).toThrow(/unexpected line/);
  });
});
