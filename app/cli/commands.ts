/**
 * Commands beyond the core ones (results, population, maintenance) register here.
 */
import type { Command } from "./command";
import { auditCommands } from "./audit-command";
import { dialogueCommands } from "./dialogue-command";
import { exportCommands } from "./export-command";
import { maintenanceCommands } from "./maintenance-command";
import { populationCommands } from "./population-command";
import { resultsCommands } from "./results-command";
import { surveyYearCommands } from "./survey-year-command";

export const extraCommands: Record<string, Command> = { ...resultsCommands, ...populationCommands, ...maintenanceCommands, ...exportCommands, ...auditCommands, ...dialogueCommands, ...surveyYearCommands };
