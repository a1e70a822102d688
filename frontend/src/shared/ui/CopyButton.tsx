import { useEffect, useState } from "react";

import { copyText } from "./clipboard";

/** A button that copies `text`, saying so (or that it could not) in a live region. */
export function CopyButton({ text, children }: { text: string; children: string }) {
  const [state, setState] = useState<"" | "copied" | "failed">("");
  useEffect(() => {
    if (!state) return;
    const timer = setTimeout(() => setState(""), 4000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <button type="button" onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}>
        {children}
      </button>
      <span role="status" className={state === "failed" ? "field-error" : "ok"}>
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy: select the text and copy it." : ""}
      </span>
    </>
  );
}
