// The Agreement page's charts, drawn with nivo (@nivo/heatmap, @nivo/bar): declarative React
// components, SVG that prints and screenshots as drawn, typed. Fixed sizes (no resize observer)
// so that a chart renders at once and the same in every browser.
import { Bar } from "@nivo/bar";
import { HeatMap } from "@nivo/heatmap";

import { formatValue, type HeatRow, type LabelBars } from "./agreement";

const CELL = 72;

export function PairHeatmap({ rows, label }: { rows: HeatRow[]; label: string }) {
  const size = Math.max(2, rows.length);
  const margin = { top: 90, right: 20, bottom: 20, left: 110 };
  return (
    <figure className="chart" aria-label={`${label} between annotators`}>
      <HeatMap
        data={rows}
        width={margin.left + margin.right + size * CELL}
        height={margin.top + margin.bottom + size * CELL}
        margin={margin}
        valueFormat={(v) => formatValue(v)}
        colors={{ type: "sequential", scheme: "blues", minValue: 0, maxValue: 1 }}
        emptyColor="#eeeeee"
        axisTop={{ tickRotation: -40, tickSize: 4 }}
        axisLeft={{ tickSize: 4 }}
        label={(cell) => formatValue(cell.value)}
        labelTextColor={{ from: "color", modifiers: [["darker", 3]] }}
        animate={false}
        isInteractive
      />
      <figcaption>
        {label} of each pair of annotators over the articles both coded (grey: the same annotator, or no value).
      </figcaption>
    </figure>
  );
}

export function LabelBarChart({ group }: { group: LabelBars }) {
  const height = 60 + group.bars.length * 36;
  return (
    <figure className="chart" aria-label={group.title}>
      <h3>{group.title}</h3>
      {group.bars.length > 0 && (
        <Bar
          data={group.bars.map((b) => ({ label: b.label, value: b.value }))}
          keys={["value"]}
          indexBy="label"
          layout="horizontal"
          width={560}
          height={height}
          margin={{ top: 10, right: 60, bottom: 40, left: 120 }}
          valueScale={{ type: "linear", min: Math.min(0, ...group.bars.map((b) => b.value)), max: 1 }}
          valueFormat={(v) => formatValue(v)}
          colors={{ scheme: "category10" }}
          axisBottom={{ tickValues: 5 }}
          axisLeft={{ tickSize: 4 }}
          labelSkipWidth={24}
          animate={false}
        />
      )}
      {group.missing.length > 0 && (
        <ul className="missing">
          {group.missing.map((m) => (
            <li key={m.label}>
              {m.label}: n/a{m.reason ? ` (${m.reason})` : ""}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
