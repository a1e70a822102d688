import { EDGE_STYLES, labelColour } from "./graph";

/** What the colours and line styles mean: span labels, speakers, clusters, relation labels. */
export function GraphLegend({ spanLabels, relations }: { spanLabels: string[]; relations: Record<string, number> }) {
  const edgeLabels = [...new Set([...Object.keys(relations), "said"])];
  return (
    <ul className="graph-legend" aria-label="Legend">
      {spanLabels.map((label) => (
        <li key={label}>
          <span className="swatch" style={{ background: labelColour(label, spanLabels), borderRadius: "50%" }} /> {label}
        </li>
      ))}
      <li>
        <span className="swatch" style={{ background: "#f1c40f" }} /> speaker
      </li>
      <li>
        <span className="swatch" style={{ border: "1px dashed #7f8c8d" }} /> SAME_CLAIM cluster
      </li>
      {edgeLabels.map((label) => {
        const style = EDGE_STYLES[label] ?? { color: "#bbb", dashed: false };
        return (
          <li key={label}>
            <span className={style.dashed ? "swatch dashed" : "swatch"} style={style.dashed ? { color: style.color } : { background: style.color }} /> {label}
            {label in relations ? ` (${relations[label]})` : ""}
          </li>
        );
      })}
    </ul>
  );
}
