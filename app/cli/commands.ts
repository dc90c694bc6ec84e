/**
 * Commands beyond the core ones (results, population, maintenance) register here.
 */
import { auditCommands } from "./audit-command";
import type { Command } from "./main";
import { maintenanceCommands } from "./maintenance-command";
import { populationCommands } from "./population-command";
import { resultsCommands } from "./results-command";

export const extraCommands: Record<string, Command> = { ...resultsCommands, ...populationCommands, ...maintenanceCommands, ...auditCommands };
