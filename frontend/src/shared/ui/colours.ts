// Label colours: whether a value is one (#rrggbb), and drawn as a background, a tint of it
// and a text colour readable on it.

/** A label colour as the API stores it: #rrggbb. */
export const isColour = (value: string) => /^#[0-9a-fA-F]{6}$/.test(value);

/** A readable foreground for a label colour (#rrggbb) used as a background. */
export function textColourOn(background: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!match) return "#000";
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.55 ? "#000" : "#fff";
}

/** A colour (#rrggbb) made lighter by mixing it with white: `amount` 0 (itself) to 1 (white). */
export function tint(colour: string, amount: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) return "#eeeeee";
  return (
    "#" +
    match
      .slice(1)
      .map((h) => Math.round(parseInt(h, 16) + (255 - parseInt(h, 16)) * amount).toString(16).padStart(2, "0"))
      .join("")
  );
}
