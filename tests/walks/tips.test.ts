/** aggregateTips: traffic tips by normalised place and problem (app/walks/tips.ts). */
import { describe, expect, it } from "vitest";
import { aggregateTips } from "~/walks/tips";

describe("aggregateTips", () => {
  it("counts a tip once under each problem it names, with its times of day and day type", () => {
    const groups = aggregateTips([
      { place: "Storgatan", area: "ahus", traffic_problem: ["speeding", "mopeds"], time_of_day: ["evening", "night"], day_type: "weekend" },
      { place: "storg.", area: "ahus", traffic_problem: ["speeding"], day_type: "weekday" },
      { place: "Storgatan", area: "tollarp", traffic_problem: ["speeding"], time_of_day: ["evening"] },
      { place: "Lillgatan", traffic_problem: ["drink_driving"], time_of_day: ["night"], day_type: "weekend" },
      { place: "  ", traffic_problem: ["speeding"] },
      { place: "Nowhere", traffic_problem: [] },
    ]);
    expect(groups.map((g) => [g.place, g.problem, g.tips])).toEqual([
      ["Storgatan", "speeding", 3],
      ["Lillgatan", "drink_driving", 1],
      ["Storgatan", "mopeds", 1],
    ]);
    const speeding = groups[0];
    expect(speeding.spellings).toEqual(["Storgatan", "storg."]);
    expect(speeding.areas).toEqual(["ahus", "tollarp"]);
    expect(speeding.timeOfDay).toEqual({ evening: 2, night: 1, "": 1 });
    expect(speeding.dayType).toEqual({ weekend: 1, weekday: 1, "": 1 });
  });
});
