import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";

import { Markdown } from "./Markdown";

it("renders Markdown, shows raw HTML as text and drops javascript: links", () => {
  const html = renderToStaticMarkup(
    <Markdown source={'# Rules\n\n<img src=x onerror="alert(1)"> <script>alert(2)</script> **bold**\n\n[x](javascript:alert(3))'} />,
  );
  expect(html).toContain("<h1>Rules</h1>");
  expect(html).toContain("<strong>bold</strong>");
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<script");
  expect(html).toContain("&lt;script&gt;");
  expect(html).not.toContain("javascript:");
});
