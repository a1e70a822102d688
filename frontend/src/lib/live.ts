// Live updates (docs/live.md): one WebSocket per project per tab, shared by every component that
// listens, opened while one listens and closed when none does. It reconnects with growing
// pauses; after a reconnect its listeners get {type: "reconnected"}, since events sent while it
// was away are lost: a page refetches what it shows. Presence (the article this tab shows) is
// sent again after every reconnect.

export interface LiveEvent {
  type: string;
  [field: string]: unknown;
}

export type LiveListener = (event: LiveEvent) => void;

/** Seconds before reconnect attempt ``attempt`` (0-based): 0.5, 1, 2, 4 ... at most 15. */
export function reconnectDelay(attempt: number): number {
  return Math.min(15, 0.5 * 2 ** Math.max(0, attempt));
}

export function liveUrl(projectId: number, location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/projects/${projectId}/`;
}

class ProjectSocket {
  readonly listeners = new Set<LiveListener>();
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private everOpened = false;
  private closed = false;
  article: number | null = null;

  constructor(private readonly projectId: number) {
    this.open();
  }

  private open(): void {
    const socket = new WebSocket(liveUrl(this.projectId, window.location));
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.sendPresence();
      if (this.everOpened) this.emit({ type: "reconnected" });
      this.everOpened = true;
    };
    socket.onmessage = (message) => {
      try {
        this.emit(JSON.parse(String(message.data)) as LiveEvent);
      } catch {
        // not JSON: not ours
      }
    };
    socket.onclose = (event) => {
      this.socket = null;
      // 4403/4404: not (or no longer) a member; the page's next request says why.
      if (this.closed || event.code === 4403 || event.code === 4404) return;
      this.timer = setTimeout(() => this.open(), reconnectDelay(this.attempt++) * 1000);
    };
  }

  private emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  sendPresence(): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: "presence", article: this.article }));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
  }
}

const sockets = new Map<number, ProjectSocket>();
let available = false;

/** Whether this server pushes updates (``me.live``): set once signed in. */
export function setLiveAvailable(value: boolean): void {
  available = value;
}

export function liveAvailable(): boolean {
  return available;
}

/** Listen to a project's events; returns the function that stops listening. */
export function subscribeLive(projectId: number, listener: LiveListener): () => void {
  if (!available || typeof WebSocket === "undefined") return () => {};
  let socket = sockets.get(projectId);
  if (!socket) {
    socket = new ProjectSocket(projectId);
    sockets.set(projectId, socket);
  }
  socket.listeners.add(listener);
  const mine = socket;
  return () => {
    mine.listeners.delete(listener);
    if (mine.listeners.size === 0) {
      mine.close();
      sockets.delete(projectId);
    }
  };
}

/** Tell the project's other members which article this tab shows (null: none). */
export function showPresence(projectId: number, article: number | null): void {
  const socket = sockets.get(projectId);
  if (!socket) return;
  socket.article = article;
  socket.sendPresence();
}
