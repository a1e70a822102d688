// The layer's spans as the article text draws them (colour, dashed, title). The same span
// object gives the same drawn object each time (the layer keeps the objects of the spans a
// change leaves alone), so the text redraws only the blocks of the spans that changed.

import type { DrawnSpan } from "../../shared/ui/articleText/ArticleText";
import type { LocalSpan } from "./model";

export class DrawnSpans {
  private cache = new WeakMap<LocalSpan, DrawnSpan>();
  private colour: ((label: string) => string) | null = null;

  of(spans: readonly LocalSpan[], colour: (label: string) => string): DrawnSpan[] {
    if (colour !== this.colour) {
      this.cache = new WeakMap(); // the labels (their colours) were read again
      this.colour = colour;
    }
    return spans.map((s) => {
      let drawn = this.cache.get(s);
      if (!drawn) {
        const title = s.suggestion ? `${s.label} suggestion (${s.recogniser}, score ${s.score ?? "?"})` : s.label;
        drawn = { id: s.id, start: s.start, end: s.end, colour: colour(s.label), suggestion: s.suggestion, title };
        this.cache.set(s, drawn);
      }
      return drawn;
    });
  }
}
