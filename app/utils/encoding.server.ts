/**
 * Bodies compressed once and sent many times (decision 038): the results documents and the kept
 * public results pages hold their Brotli and gzip copies, and answers pick one by the request's
 * Accept-Encoding instead of passing through the compression middleware every time.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export type BodyEncoding = "br" | "gzip" | "identity";

/**
 * The encoding to answer with: Brotli when accepted, else gzip, else none. Honours `q=0`
 * ("not acceptable") and `*`; among accepted ones the server's preference (br, gzip) decides,
 * as browsers give them equal weight.
 */
export function chooseEncoding(header: string | string[] | undefined): BodyEncoding {
  if (!header) return "identity";
  const text = Array.isArray(header) ? header.join(",") : header;
  const q = new Map<string, number>();
  for (const part of text.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  const accepts = (name: string) => (q.get(name) ?? q.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return "identity";
}

/** Brotli at quality 9 (a few ms for a results document, once) and gzip at level 9. */
export function compressBody(body: Buffer, encoding: "br" | "gzip"): Buffer {
  return encoding === "br"
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 9,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: 9 });
}

/** A body with its compressed copies made on first use and then kept. */
export class EncodedBody {
  readonly identity: Buffer;
  private br: Buffer | undefined;
  private gzip: Buffer | undefined;

  constructor(body: string | Buffer) {
    this.identity = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  }

  get(encoding: BodyEncoding): Buffer {
    if (encoding === "identity") return this.identity;
    if (encoding === "br") return (this.br ??= compressBody(this.identity, "br"));
    return (this.gzip ??= compressBody(this.identity, "gzip"));
  }
}
