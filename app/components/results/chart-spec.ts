/** What a chart draws: plain rows taken from its table (no Chart.js types, so pages stay light). */
export type ChartSpec =
  | {
      type: "bars";
      labels: string[];
      /** null = no bar (suppressed: "för få svar"). */
      values: (number | null)[];
      low: (number | null)[];
      high: (number | null)[];
      max: number;
      /** Axis title. */
      axis: string;
      rtl: boolean;
    }
  | {
      type: "lines";
      labels: string[];
      values: (number | null)[];
      low: (number | null)[];
      high: (number | null)[];
      max: number;
      axis: string;
      /** Names of the line and of its band (for the legend). */
      lineLabel: string;
      bandLabel: string;
      rtl: boolean;
    };
