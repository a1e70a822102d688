// The drawing: Cytoscape.js on a canvas. Small graphs get the built-in force-directed `cose`
// layout; above FORCE_LIMIT nodes the pure module's grid positions are used as they are
// (`preset`), since cose on thousands of nodes takes many seconds.
import cytoscape, { type Core, type StylesheetJson } from "cytoscape";
import { useEffect, useRef } from "react";

import { EDGE_STYLES, type ElementDef } from "./graph";

const FORCE_LIMIT = 400;

// Cytoscape adds an inline <style> (container `position: relative`) unless an element with this
// id exists; the app's Content-Security-Policy (style-src 'self') blocks inline styles, so a
// placeholder stands in and graph.css gives the container its position.
const CYTOSCAPE_STYLESHEET = "__________cytoscape_stylesheet";

function placeholderStylesheet() {
  if (document.getElementById(CYTOSCAPE_STYLESHEET)) return;
  const meta = document.createElement("meta");
  meta.id = CYTOSCAPE_STYLESHEET;
  document.head.appendChild(meta);
}

const STYLE: StylesheetJson = [
  { selector: "node.span", style: { "background-color": "data(colour)", width: 14, height: 14, label: "", "border-width": 0 } },
  { selector: "node.clustered", style: { "border-width": 2, "border-color": "#7f8c8d" } },
  { selector: "node.span:selected", style: { "border-width": 3, "border-color": "#000" } },
  { selector: "node.speaker", style: { shape: "round-rectangle", "background-color": "#f1c40f", width: 22, height: 22, label: "data(name)", "font-size": 10 } },
  { selector: "node.cluster", style: { "background-color": "#ecf0f1", "border-color": "#7f8c8d", "border-style": "dashed", "border-width": 1, shape: "round-rectangle" } },
  { selector: "edge", style: { width: 1, "curve-style": "haystack", "line-color": "#bbb" } },
  { selector: "edge.relation", style: { width: 2, "curve-style": "straight", "target-arrow-shape": "triangle" } },
  ...Object.entries(EDGE_STYLES).map(([label, s]) => ({
    selector: `edge[label = "${label}"]`,
    style: { "line-color": s.color, "target-arrow-color": s.color, "line-style": s.dashed ? ("dashed" as const) : ("solid" as const) },
  })),
];

interface Props {
  elements: ElementDef[];
  onSelect: (data: Record<string, unknown> | null) => void;
  /** Called once the first frame is drawn, with ms since navigation start (the bench reads it)
   * and, for small graphs, where each span is on screen (browser tests click there), and when
   * Cytoscape was created. */
  onDrawn: (ms: number, onScreen: Record<string, { x: number; y: number }>, createdAt: number) => void;
}

export function GraphCanvas({ elements, onSelect, onDrawn }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  const drawn = useRef(onDrawn);
  useEffect(() => {
    select.current = onSelect;
    drawn.current = onDrawn;
  });
  useEffect(() => {
    if (!box.current) return;
    placeholderStylesheet();
    const createdAt = performance.now();
    const nodes = elements.filter((e) => e.group === "nodes").length;
    const cy: Core = cytoscape({
      container: box.current,
      elements,
      // Past FORCE_LIMIT, straight edges with arrowheads cost more than the rest of the frame.
      style: nodes > FORCE_LIMIT ? [...STYLE, { selector: "edge", style: { "curve-style": "haystack", "target-arrow-shape": "none" } }] : STYLE,
      layout: nodes > FORCE_LIMIT ? { name: "preset", fit: true } : { name: "cose", animate: false, randomize: false },
      textureOnViewport: nodes > FORCE_LIMIT,
      hideEdgesOnViewport: nodes > FORCE_LIMIT,
      pixelRatio: nodes > FORCE_LIMIT ? 1 : "auto",
      minZoom: 0.02,
      maxZoom: 4,
    });
    cy.one("render", () => {
      const ms = performance.now();
      const onScreen: Record<string, { x: number; y: number }> = {};
      if (nodes <= FORCE_LIMIT) cy.nodes(".span").forEach((n) => void (onScreen[n.id()] = n.renderedPosition()));
      drawn.current(ms, onScreen, createdAt);
    });
    cy.on("tap", "node.span", (e) => select.current(e.target.data() as Record<string, unknown>));
    cy.on("tap", (e) => {
      if (e.target === cy) select.current(null);
    });
    return () => cy.destroy();
  }, [elements]);
  return <div ref={box} className="graph-canvas" role="img" aria-label="Argument graph" />;
}
