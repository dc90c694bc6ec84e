/** The place-name normalisation that groups traffic tips (app/walks/place-name.ts). */
import { describe, expect, it } from "vitest";
import { normalisePlaceName } from "~/walks/place-name";

describe("normalisePlaceName", () => {
  it("groups spellings of the same street", () => {
    const spellings = ["Storgatan", "STORGATAN ", "storgatan.", "Stor gatan", "Stor-gatan", "Storg.", "Storgata", "  storgatan  "];
    expect(new Set(spellings.map(normalisePlaceName))).toEqual(new Set(["storgatan"]));
  });

  it("ignores accents, dots, case and punctuation, and knows vägen and its short forms", () => {
    expect(normalisePlaceName("Åhusvägen")).toBe("ahusvagen");
    expect(normalisePlaceName("åhusv.")).toBe("ahusvagen");
    expect(normalisePlaceName("Åhus väg")).toBe("ahusvagen");
    expect(normalisePlaceName("Västra Boulevarden, vid skolan!")).toBe("vastra boulevarden vid skolan");
    expect(normalisePlaceName("Östra Storgatan")).toBe(normalisePlaceName("ostra storg."));
    expect(normalisePlaceName("Café Lundgren")).toBe("cafe lundgren");
  });

  it("keeps what tells places apart: house numbers and other words", () => {
    expect(normalisePlaceName("Storgatan 12")).toBe("storgatan 12");
    expect(normalisePlaceName("Storg. 12")).toBe("storgatan 12");
    expect(normalisePlaceName("Storgatan")).not.toBe(normalisePlaceName("Storgatan 12"));
    expect(normalisePlaceName("Lillgatan")).not.toBe(normalisePlaceName("Storgatan"));
    // "g" and "v" inside a word are not abbreviations.
    expect(normalisePlaceName("Tivoliparken")).toBe("tivoliparken");
    expect(normalisePlaceName("Stortorget")).toBe(normalisePlaceName("Stor torget"));
  });

  it("gives an empty name for text without letters or digits", () => {
    expect(normalisePlaceName(" – ?! ")).toBe("");
  });
});
