import { expect, it } from "vitest";

import { isColour, textColourOn, tint } from "./colours";

it("colours", () => {
  expect(textColourOn("#ffffff")).toBe("#000");
  expect(textColourOn("#1f1f1f")).toBe("#fff");
  expect(tint("#000000", 0.5)).toBe("#808080");
  expect(tint("nonsense", 0.5)).toBe("#eeeeee");
});

it("isColour", () => {
  expect(isColour("#a0B1c2")).toBe(true);
  expect(isColour("red")).toBe(false);
  expect(isColour("#abc")).toBe(false);
});
