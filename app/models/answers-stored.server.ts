/**
 * A counter of answers stored in this process, bumped by the response writer and read by the
 * results cache (decision 024). Its own module so that neither imports the other: the writer sits
 * below the results code in the import graph.
 */
let generation = 0;

/** Called after answers were stored in this process (submissions, imports, example data). */
export function noteAnswersStored(): void {
  generation++;
}

/** How many times answers were stored in this process; changes whenever new answers arrive. */
export function answersStoredGeneration(): number {
  return generation;
}
