/**
 * Where the project's shared material (specs, fixtures) lives: `../shared` beside the checkout,
 * as on developers' machines and in CI; SHARED_DIR overrides it.
 */
import path from "node:path";
import { ROOT } from "./app-server";

export const SHARED_DIR = path.resolve(process.env.SHARED_DIR ?? path.join(ROOT, "../shared"));
export const STATS_FIXTURES_DIR = path.join(SHARED_DIR, "fixtures/stats");
export const SPEC_DIR = path.join(SHARED_DIR, "spec");
