// The annotate page's article text with the layer's relations as arcs over it and the markers of
// relations across articles (ArcsOverlay); following a marker opens the other article's page at
// its span (`?span=`). A toggle hides the arcs; the text itself never re-renders for them.

import { useEffect, useMemo, useRef, useState, type ComponentProps } from "react";
import { useNavigate } from "react-router-dom";

import { articles, type Article, type Label } from "../../lib/api/client";
import { useAfterPaint } from "../../shared/frame/useAfterPaint";
import { ArticleText } from "../../shared/ui/articleText/ArticleText";
import { arcIntervals, arcLevels, crossMarkers, type CrossMarker } from "./arcs";
import { ArcsOverlay, type Arc } from "./ArcsOverlay";
import type { Layer } from "./layer";

const ARCS_KEY = "annotator.showArcs";

type Props = ComponentProps<typeof ArticleText> & {
  projectId: number;
  article: Article;
  layer: Layer;
  labels: readonly Label[];
};

export function TextWithArcs({ projectId, article, layer, labels, ...text }: Props) {
  const navigate = useNavigate();
  const box = useRef<HTMLDivElement>(null);
  const [showArcs, setShowArcs] = useState(() => localStorage.getItem(ARCS_KEY) !== "off");
  const [titles, setTitles] = useState<Map<number, string>>(() => new Map());
  // The arcs and markers follow the layer a frame after the text (useAfterPaint): a label
  // action's frame does not wait for them (a new span carries no arc), and they are measured
  // after a paint anyway (ArcsOverlay).
  const { spans, relations } = useAfterPaint(layer);

  // A label action adds a span but moves no arc: the levels (quadratic in the arcs) are
  // computed again only when some arc's interval changes.
  const intervals = useMemo(() => arcIntervals(relations, spans), [relations, spans]);
  const intervalsKey = intervals.map((i) => `${i.id}:${i.start}:${i.end}`).join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the intervals' values
  const levels = useMemo(() => arcLevels(intervals), [intervalsKey]);
  // Keyed on values too: a label action then hands the overlay the same arcs and markers, and
  // it only checks that no arc's end moved.
  const arcs: Arc[] = useMemo(() => {
    const byName = new Map(labels.map((l) => [l.name, l]));
    const shown = new Set(intervals.map((i) => i.id));
    return relations
      .filter((r) => shown.has(r.id))
      .map((r) => ({
        id: r.id,
        from: r.from,
        to: r.to,
        label: r.label,
        level: levels.get(r.id) ?? 0,
        symmetric: byName.get(r.label)?.symmetric ?? false,
        colour: byName.get(r.label)?.colour ?? "#666666",
      }));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the intervals by their values
  }, [relations, intervalsKey, levels, labels]);
  const found = useMemo(
    () => crossMarkers(article.id, relations, article.incoming_relations, spans),
    [article, relations, spans],
  );
  const markersKey = found.map((m) => `${m.direction}${m.relationId}:${m.spanId}:${m.label}:${m.otherSpan}`).join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the markers' values
  const markers = useMemo(() => found, [markersKey]);

  // The other articles' titles, for the markers' names (fetched once each).
  const others = useMemo(() => [...new Set(markers.map((m) => m.otherArticle))].sort(), [markers]);
  useEffect(() => {
    const missing = others.filter((id) => !titles.has(id));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => articles.get(id).then((a) => [id, a.title || a.external_id] as const))).then(
      (found) => {
        if (live) setTitles((known) => new Map([...known, ...found]));
      },
      () => undefined, // the marker then names the article by its id
    );
    return () => {
      live = false;
    };
  }, [others, titles]);

  const follow = (marker: CrossMarker) => navigate(`/projects/${projectId}/articles/${marker.otherArticle}?span=${marker.otherSpan}`);

  return (
    <div className="text-with-arcs">
      <label className="arcs-toggle">
        <input
          type="checkbox"
          checked={showArcs}
          onChange={(e) => {
            setShowArcs(e.target.checked);
            localStorage.setItem(ARCS_KEY, e.target.checked ? "on" : "off");
          }}
        />{" "}
        Show relations as arcs
      </label>
      <div ref={box} className={showArcs ? "arcs-box with-arcs" : "arcs-box"}>
        <ArticleText {...text} />
        <ArcsOverlay
          container={box}
          arcs={showArcs ? arcs : []}
          markers={markers}
          drawnKey={text.spans}
          articleName={(id) => `“${titles.get(id) ?? `article ${id}`}”`}
          onFollow={follow}
        />
      </div>
    </div>
  );
}
