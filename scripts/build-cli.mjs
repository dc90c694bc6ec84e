// Bundles the command line (app/cli/main.ts) into build/cli.mjs, so that `npm run cli` starts
// without compiling TypeScript on every run (tsx's loader took seconds of a short import).
// Packages stay external (node_modules is there at run time); the app's own `~/` modules and
// the migrations are bundled.
import { build } from "esbuild";

await build({
  entryPoints: ["app/cli/main.ts"],
  outfile: "build/cli.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "packages-external",
      setup(b) {
        // A bare specifier (not relative, not absolute, not the app's `~/` alias) is a package.
        b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
