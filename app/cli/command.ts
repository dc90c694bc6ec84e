/** What a command of the command line is; main.ts runs them, the *-command.ts files define them. */
export interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: "string" | "boolean"; short?: string }>;
  run: (values: Record<string, string | boolean | undefined>) => Promise<void>;
}
