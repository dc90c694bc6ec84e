/** The actions list's filters from its address (the page and its CSV read them alike). */
import { isWalkResponsible, type WalkResponsibleCode } from "./stop";

export interface ActionFilters {
  area: string | null;
  responsible: WalkResponsibleCode | null;
  includeClosed: boolean;
}

export function parseActionFilters(params: URLSearchParams, areaCodes: string[]): ActionFilters {
  const area = params.get("omrade") ?? "";
  const responsible = params.get("ansvarig");
  return {
    area: areaCodes.includes(area) ? area : null,
    responsible: isWalkResponsible(responsible) ? responsible : null,
    includeClosed: params.get("avslutade") === "1",
  };
}
