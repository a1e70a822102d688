// The page's hold on its LayerEditor: made once, subscribed to (the layer and the article are
// read with useSyncExternalStore), the save status and the last notice kept as state. Leaving
// with changes not saved yet asks first; coming back online retries at once.

import { useEffect, useState, useSyncExternalStore } from "react";

import { LayerEditor } from "./editor";
import type { QueueState } from "./queue";

const IDLE: QueueState = { waiting: 0, offline: false, retryIn: 0 };

export function useLayer() {
  const [saving, setSaving] = useState<QueueState>(IDLE);
  const [notice, setNotice] = useState("");
  const [editor] = useState(() => new LayerEditor(setSaving, setNotice));
  const layer = useSyncExternalStore(editor.subscribe, editor.getLayer);
  const article = useSyncExternalStore(editor.subscribe, editor.getArticle);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (editor.queue.waiting > 0) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    const online = () => editor.queue.retryNow();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("online", online);
    };
  }, [editor]);

  return { editor, layer, article, saving, notice, setNotice };
}
