// @vitest-environment jsdom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, expect, it } from "vitest";

import { ConfirmButton } from "./ConfirmButton";

// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

const buttons = () => [...container.querySelectorAll("button")].map((b) => b.textContent);
const press = async (text: string) => {
  const button = [...container.querySelectorAll("button")].find((b) => b.textContent === text);
  if (!button) throw new Error(`no button "${text}" in ${container.innerHTML}`);
  await act(async () => button.click());
};

function confirmButton(onConfirm: () => Promise<boolean>, busy = false) {
  return (
    <ConfirmButton question="Delete CLAIM?" confirm="Yes, delete" busy={busy} onConfirm={onConfirm}>
      Delete
    </ConfirmButton>
  );
}

it("asks first, steps back on Keep, and acts only on the second press", async () => {
  let calls = 0;
  const onConfirm = () => {
    calls += 1;
    return Promise.resolve(true);
  };
  act(() => root.render(confirmButton(onConfirm)));
  expect(container.innerHTML).toBe('<button type="button" class="danger">Delete</button>');

  await press("Delete");
  expect(container.querySelector("span")?.textContent).toBe("Delete CLAIM?");
  expect(buttons()).toEqual(["Yes, delete", "Keep"]);
  expect(container.querySelector("button")?.className).toBe("danger solid");

  await press("Keep");
  expect(buttons()).toEqual(["Delete"]);
  expect(calls).toBe(0);

  await press("Delete");
  await press("Yes, delete");
  expect(calls).toBe(1);
});

it("goes back to the first button when the work fails", async () => {
  act(() => root.render(confirmButton(() => Promise.resolve(false))));
  await press("Delete");
  await press("Yes, delete");
  expect(buttons()).toEqual(["Delete"]);
});

it("disables every button while the page's action runs", async () => {
  act(() => root.render(confirmButton(() => Promise.resolve(true))));
  await press("Delete");
  act(() => root.render(confirmButton(() => Promise.resolve(true), true)));
  const states = [...container.querySelectorAll("button")].map((b) => b.disabled);
  expect(states).toEqual([true, true]);
});
