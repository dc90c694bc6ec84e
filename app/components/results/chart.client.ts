/**
 * Chart.js, tree-shaken: only bar and line charts on linear and category scales, and the band
 * fill. No tooltips or legend plugin: the table beside each chart holds the figures. Interval
 * whiskers are drawn by a small plugin of our own.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  type Plugin,
} from "chart.js";
import type { ChartSpec } from "./chart-spec";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler);

// Colours: bars #1d4f91 on white (8.9:1), text #1a1a1a, whiskers #1a1a1a, band #9db8dc (fill
// only; the line itself is #1d4f91 and points are drawn on it).
const BAR = "#1d4f91";
const INK = "#1a1a1a";
const BAND = "rgba(29, 79, 145, 0.22)";

/** White behind the chart, so a saved PNG is readable on any background. */
const whiteBackground: Plugin = {
  id: "tdWhiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

function whiskers(low: (number | null)[], high: (number | null)[]): Plugin {
  return {
    id: "tdWhiskers",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const x = chart.scales.x;
      const meta = chart.getDatasetMeta(0);
      ctx.save();
      // Drawn twice: a white halo keeps the black whisker visible over the dark bar (3:1 both ways).
      for (const [colour, width] of [["#ffffff", 4.5], [INK, 1.75]] as const) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      meta.data.forEach((bar, i) => {
        const lo = low[i];
        const hi = high[i];
        if (lo === null || hi === null || lo === undefined || hi === undefined) return;
        const y = bar.y;
        const x0 = x.getPixelForValue(lo);
        const x1 = x.getPixelForValue(hi);
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x1, y);
        ctx.moveTo(x0, y - 6);
        ctx.lineTo(x0, y + 6);
        ctx.moveTo(x1, y - 6);
        ctx.lineTo(x1, y + 6);
        ctx.stroke();
      });
      }
      ctx.restore();
    },
  };
}

/** Draws the spec on the canvas; returns a function that removes the chart. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): () => void {
  Chart.defaults.color = INK;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const common = { responsive: true, maintainAspectRatio: false, animation: false as const, events: [] };
  let chart: Chart;
  if (spec.type === "bars") {
    chart = new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: [{ data: spec.values, backgroundColor: BAR, borderWidth: 0, barPercentage: 0.7 }] },
      options: {
        ...common,
        indexAxis: "y",
        scales: {
          x: { min: 0, max: spec.max, reverse: spec.rtl, title: { display: true, text: spec.axis } },
          y: { position: spec.rtl ? "right" : "left", ticks: { autoSkip: false } },
        },
      },
      plugins: [whiteBackground, whiskers(spec.low, spec.high)],
    });
  } else {
    chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: [
          { label: spec.bandLabel, data: spec.low, borderWidth: 0, pointRadius: 0, fill: false, spanGaps: false },
          { label: spec.bandLabel, data: spec.high, borderWidth: 0, pointRadius: 0, backgroundColor: BAND, fill: "-1", spanGaps: false },
          { label: spec.lineLabel, data: spec.values, borderColor: BAR, backgroundColor: BAR, borderWidth: 2.5, pointRadius: 4, fill: false, spanGaps: false },
        ],
      },
      options: {
        ...common,
        scales: {
          x: { reverse: spec.rtl },
          y: { min: 0, max: spec.max, position: spec.rtl ? "right" : "left", title: { display: true, text: spec.axis } },
        },
      },
      plugins: [whiteBackground],
    });
  }
  return () => chart.destroy();
}
