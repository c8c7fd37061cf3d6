// Workspace diagnostics on change, not on a clock. vscode-languageclient 9 re-sends
// `workspace/diagnostic` 2 s after every answer, and carve answers it with a check of the
// whole workspace: on a large project that keeps a core busy while nothing changes. The
// gate holds each pull until something could have changed its answer: a document pull (the
// client pulls on open, edit, save and on the server's diagnostic refresh) or a file event.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

interface Token {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class PullGate {
  private dirty = true;
  private readonly waiters = new Set<() => void>();

  markDirty(): void {
    this.dirty = true;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** True as soon as something changed since the last pull; false if cancelled first. */
  wait(token: Token): Promise<boolean> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const subscription = token.onCancellationRequested(() => {
        this.waiters.delete(wake);
        resolve(false);
      });
      const wake = (): void => {
        subscription.dispose();
        if (token.isCancellationRequested) {
          resolve(false);
          return;
        }
        this.dirty = false;
        resolve(true);
      };
      this.waiters.add(wake);
    });
  }
}

export function gatedDiagnostics(gate: PullGate): Middleware {
  return {
    provideDiagnostics(document, previousResultId, token, next) {
      gate.markDirty();
      return next(document, previousResultId, token);
    },
    async provideWorkspaceDiagnostics(resultIds, token, resultReporter, next) {
      return (await gate.wait(token)) ? next(resultIds, token, resultReporter) : { items: [] };
    },
  };
}

/** Files changed outside the editor (a git checkout, a formatter): pull again. */
export function watchFiles(gate: PullGate): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.py,pyproject.toml,carve.toml}');
  const mark = (): void => gate.markDirty();
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(mark),
    watcher.onDidChange(mark),
    watcher.onDidDelete(mark),
  );
}
