/**
 * Place names as residents type them, made comparable (issue 17, item 7; decision 029), so that
 * "Storgatan", "STORGATAN ", "Stor-gatan", "Storg." and "Storgata" count as one place. The rules,
 * in order, each simple enough to explain to the police:
 *
 * 1. letters without accents or dots and in lower case (å, ä → a; ö → o; é → e);
 * 2. the abbreviations "g." and "v." after a name stand for "gatan" and "vägen";
 * 3. everything that is not a letter or a digit is a space, and runs of spaces are one;
 * 4. a street word standing on its own is joined to the word before ("stor gatan" → "storgatan");
 * 5. the short forms "gata" and "väg" at the end of a word become "gatan" and "vägen".
 *
 * Numbers stay ("Storgatan 12" is not "Storgatan"): a house number narrows the place.
 * Pure and isomorphic.
 */

/** Street words joined to the word before them when written apart (after rule 1). */
const STREET_WORDS = new Set(["gatan", "gata", "vagen", "vag", "grand", "granden", "torget", "torg", "plan", "parken", "leden"]);

/** The comparable form of a place name; "" for a name with no letters or digits. */
export function normalisePlaceName(name: string): string {
  const plain = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const expanded = plain.replace(/(\p{L})g\.(?=\s|$|\d)/gu, "$1gatan ").replace(/(\p{L})v\.(?=\s|$|\d)/gu, "$1vagen ");
  const words = expanded.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
  const joined: string[] = [];
  for (const word of words) {
    if (STREET_WORDS.has(word) && joined.length > 0 && /\p{L}$/u.test(joined[joined.length - 1])) joined[joined.length - 1] += word;
    else joined.push(word);
  }
  return joined.map((w) => w.replace(/gata$/, "gatan").replace(/vag$/, "vagen")).join(" ");
}
