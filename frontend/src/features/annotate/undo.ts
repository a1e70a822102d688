// Undo and redo of the workspace's changes. Each step knows how to undo and redo itself
// (through the editor, so an undone change is saved like any other); a new change clears
// what could be redone.

export interface Undoable {
  describe: string;
  undo: () => void;
  redo: () => void;
}

export class UndoHistory {
  private done: Undoable[] = [];
  private undone: Undoable[] = [];

  record(step: Undoable): void {
    this.done.push(step);
    this.undone = [];
  }

  undo(): void {
    const step = this.done.pop();
    if (!step) return;
    step.undo();
    this.undone.push(step);
  }

  redo(): void {
    const step = this.undone.pop();
    if (!step) return;
    step.redo();
    this.done.push(step);
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
