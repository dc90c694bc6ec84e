/**
 * A chart over the rows of the table beside it (house style: the table is the source). Chart.js
 * is loaded only here, on the client, as its own chunk (chart.client.ts registers only the parts
 * drawn). The canvas is an image with a text alternative that names every value, and the chart
 * can be saved as PNG.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/i18n/react";
import type { ChartSpec } from "./chart-spec";
import { downloadFile } from "./csv";

export function ResultsChart({ spec, alt, filename }: { spec: ChartSpec; alt: string; filename: string }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [ready, setReady] = useState(false);
  const specJson = JSON.stringify(spec);
  useEffect(() => {
    let destroy: (() => void) | undefined;
    let cancelled = false;
    import("./chart.client")
      .then(({ drawChart }) => {
        if (cancelled || !canvas.current) return;
        destroy = drawChart(canvas.current, JSON.parse(specJson) as ChartSpec);
        setReady(true);
      })
      .catch((error: unknown) => console.warn("Chart could not be drawn", error));
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [specJson]);
  const height = spec.type === "bars" ? Math.max(160, spec.labels.length * 34 + 60) : 260;
  const savePng = () => canvas.current?.toBlob((blob) => blob && downloadFile(filename, blob), "image/png");
  return (
    <figure className="chart">
      <div className="chart-box" style={{ height }}>
        <canvas ref={canvas} role="img" aria-label={alt} data-alt={alt}>
          {alt}
        </canvas>
      </div>
      <button type="button" className="secondary-button no-print" onClick={savePng} disabled={!ready} data-png={filename}>
        {t("results.download.png")}
      </button>
    </figure>
  );
}
