/** What a chart draws: plain rows taken from its table (no Chart.js types, so pages stay light). */
interface SeriesWithInterval {
  labels: string[];
  /** null = no bar or point (suppressed: "för få svar"). */
  values: (number | null)[];
  /** The 95 % interval's ends, drawn as whiskers (bars) or a band (lines). */
  low: (number | null)[];
  high: (number | null)[];
  max: number;
  /** Axis title. */
  axis: string;
  rtl: boolean;
}

export type ChartSpec =
  | ({ type: "bars" } & SeriesWithInterval)
  | ({
      type: "lines";
      /** Names of the line and of its band (for the legend). */
      lineLabel: string;
      bandLabel: string;
    } & SeriesWithInterval);

/** Figures with an estimate and an interval, as the results API gives them (null = suppressed). */
interface Figure {
  estimate: number | null;
  ci?: [number, number] | null;
}

/**
 * Bars with interval whiskers, one per figure (a measure across groups, or problem items), on a
 * 0–100 axis; `factor` 100 turns shares (0–1) into per cent. A missing figure draws no bar.
 */
export function barsOf({ labels, figures, axis, rtl, factor = 1 }: { labels: string[]; figures: (Figure | null | undefined)[]; axis: string; rtl: boolean; factor?: number }): ChartSpec {
  const scaled = (x: number | null | undefined) => (x == null ? null : x * factor);
  return {
    type: "bars",
    labels,
    values: figures.map((r) => scaled(r?.estimate)),
    low: figures.map((r) => scaled(r?.ci?.[0])),
    high: figures.map((r) => scaled(r?.ci?.[1])),
    max: 100,
    axis,
    rtl,
  };
}
