/**
 * Bodies compressed once (decision 038): the encoding chosen from Accept-Encoding, the kept
 * copies decode to the body, and a kept results page joined with a fresh nonce as stored deflate
 * blocks is a valid gzip stream whose text is exactly the page with that nonce.
 */
import { constants, deflateRawSync, gunzipSync, brotliDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipWithNonce } from "~/server/page-cache";
import { chooseEncoding, EncodedBody } from "~/utils/encoding.server";

function kept(html: string, nonce: string) {
  const parts = html.split(nonce).map((p) => Buffer.from(p, "utf8"));
  const deflated = parts.map((p, i) =>
    deflateRawSync(p, { level: 9, finishFlush: i < parts.length - 1 ? constants.Z_SYNC_FLUSH : constants.Z_FINISH }),
  );
  return { parts, deflated };
}

describe("chooseEncoding", () => {
  it.each([
    [undefined, "identity"],
    ["", "identity"],
    ["gzip", "gzip"],
    ["gzip, deflate, br, zstd", "br"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0", "identity"],
    ["*", "br"],
    ["*, br;q=0", "gzip"],
    ["identity", "identity"],
    ["deflate", "identity"],
    ["GZIP; q=0.5", "gzip"],
  ] as const)("%j → %s", (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe("EncodedBody", () => {
  it("keeps Brotli and gzip copies that decode to the body", () => {
    const json = JSON.stringify({ figures: Array.from({ length: 500 }, (_, i) => ({ i, mean: i / 7, label: "Åhus ﻿" })) });
    const body = new EncodedBody(json);
    expect(body.get("identity").toString("utf8")).toBe(json);
    expect(brotliDecompressSync(body.get("br")).toString("utf8")).toBe(json);
    expect(gunzipSync(body.get("gzip")).toString("utf8")).toBe(json);
    expect(body.get("br")).toBe(body.get("br")); // made once
    expect(body.get("br").length).toBeLessThan(json.length / 3);
  });
});

describe("gzipWithNonce", () => {
  const oldNonce = "b2xkLW5vbmNlLTEyMzQ1Ng==";
  const page =
    `<!DOCTYPE html><html lang="sv"><head><title>Resultat 2025 – Trygghetsmätning</title></head><body>` +
    `${"<tr><td>Åhus</td><td>3,4</td></tr>".repeat(2000)}` +
    `<script nonce="${oldNonce}">window.__remixContext = {"x":1};</script>` +
    `<script nonce="${oldNonce}" type="module">import "/build/entry.client-ABC.js";</script></body></html>`;

  it("decodes to the page with the new nonce in every place of the old one", () => {
    const { parts, deflated } = kept(page, oldNonce);
    expect(parts).toHaveLength(3);
    for (const nonce of ["bmV3LW5vbmNlLWFhYWFhYQ==", "c2Vjb25kLW5vbmNlLWJiYg=="]) {
      const gz = gzipWithNonce(parts, deflated, nonce);
      expect(gunzipSync(gz).toString("utf8")).toBe(page.split(oldNonce).join(nonce));
    }
  });

  it("is as small as compressing the page afresh, give or take the joins", () => {
    const { parts, deflated } = kept(page, oldNonce);
    const joined = gzipWithNonce(parts, deflated, "bmV3LW5vbmNlLWFhYWFhYQ==");
    const fresh = deflateRawSync(Buffer.from(page), { level: 9 });
    expect(joined.length).toBeLessThan(fresh.length + 200);
  });

  it("works for a page without any nonce and for a nonce at the very start or end", () => {
    for (const html of ["<html>no scripts</html>", `${oldNonce}<html></html>${oldNonce}`]) {
      const { parts, deflated } = kept(html, oldNonce);
      expect(gunzipSync(gzipWithNonce(parts, deflated, "Tk9OQ0U=")).toString("utf8")).toBe(html.split(oldNonce).join("Tk9OQ0U="));
    }
  });
});
