/**
 * Build step (package.json "build"): writes a Brotli (.br, quality 11) and a gzip (.gz, level 9)
 * copy beside every compressible file under public/, so the server sends compressed bytes without
 * compressing per request (app/server/static-files.ts). A copy is kept only when it is smaller.
 * Remix empties public/build on every build; stale copies elsewhere are replaced or removed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../public");
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|xml|ico|webmanifest)$/;
const MIN_BYTES = 256;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

let written = 0;
let before = 0;
let after = 0;
for (const file of [...files(root)]) {
  if (file.endsWith(".br") || file.endsWith(".gz")) {
    // A copy whose original is gone (a renamed stylesheet) must not be served.
    if (!fs.existsSync(file.slice(0, -3))) fs.rmSync(file);
    continue;
  }
  if (!COMPRESSIBLE.test(file)) continue;
  const body = fs.readFileSync(file);
  const variants = {
    br: () => zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    gz: () => zlib.gzipSync(body, { level: 9 }),
  };
  for (const [suffix, compress] of Object.entries(variants)) {
    const target = `${file}.${suffix}`;
    const packed = body.length >= MIN_BYTES ? compress() : null;
    if (packed && packed.length < body.length) {
      fs.writeFileSync(target, packed);
      written++;
      if (suffix === "br") {
        before += body.length;
        after += packed.length;
      }
    } else {
      fs.rmSync(target, { force: true });
    }
  }
}
console.log(`precompress: ${written} files written; Brotli ${Math.round(before / 1024)} KiB → ${Math.round(after / 1024)} KiB`);
