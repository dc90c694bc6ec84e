/**
 * Commands beyond the core ones (results, population, maintenance) register here.
 */
import type { Command } from "./main";

export const extraCommands: Record<string, Command> = {};
