// What a page shows while what it loads has not arrived: "Loading…", or why it failed with a
// way to try again. Pages write `if (!x.data) return <NotLoaded loaded={x} what="the labels" />`.
import { ErrorMessage } from "./ErrorMessage";
import type { Loaded } from "../hooks/useLoad";

export function NotLoaded<T>({ loaded, what }: { loaded: Loaded<T>; what: string }) {
  if (loaded.loading || !loaded.error) return <p className="loading">Loading {what}…</p>;
  return (
    <>
      <ErrorMessage error={loaded.error} prefix={`${what[0]!.toUpperCase()}${what.slice(1)} could not be loaded:`} />
      <button type="button" onClick={() => void loaded.reload()}>
        Try again
      </button>
    </>
  );
}
