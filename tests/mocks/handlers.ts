/** The outside services the app talks to, each with its own handler file. */
import type { RequestHandler } from "msw";
import { scbHandlers } from "./scb";

export const handlers: RequestHandler[] = [...scbHandlers()];
