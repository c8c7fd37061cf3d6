// The status bar item: starting / indexing, then the number of carve findings in Problems.
import * as vscode from 'vscode';
import type { CarveServer } from './server';

interface ServerStatus {
  state: 'indexing' | 'ready' | 'error';
  error: string | null;
}

export function countCarveFindings(all: ReadonlyArray<[vscode.Uri, readonly vscode.Diagnostic[]]>): number {
  let count = 0;
  for (const [, diagnostics] of all) {
    for (const diagnostic of diagnostics) if (diagnostic.source === 'carve') count++;
  }
  return count;
}

export function findingsText(count: number): string {
  return count === 0 ? '$(check) carve' : `$(warning) carve: ${count}`;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('carve.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private poll: ReturnType<typeof setTimeout> | undefined;
  private firstDiagnosticsLogged = false;

  constructor(
    private readonly server: CarveServer,
    private readonly log: vscode.LogOutputChannel,
    private readonly activatedAt: number,
  ) {
    this.item.name = 'carve';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(
      server.onDidChangeState((state) => this.onServerState(state)),
      vscode.languages.onDidChangeDiagnostics(() => this.showCount()),
    );
    this.show('$(sync~spin) carve: starting', 'Starting the carve language server');
    this.item.show();
  }

  private onServerState(state: string): void {
    if (state === 'starting') {
      this.ready = false;
      this.show('$(sync~spin) carve: starting', 'Starting the carve language server');
    } else if (state === 'running') {
      this.pollStatus();
    } else if (state === 'failed') {
      this.ready = false;
      this.item.command = 'carve.showLogs';
      this.show('$(error) carve', 'The carve server is not running: click for the logs');
    }
  }

  /** Ask the server until its first index is built (the `indexing` progress). */
  private pollStatus(): void {
    clearTimeout(this.poll);
    this.server
      .execute<ServerStatus>('carve.status')
      .then((status) => {
        if (status.state === 'indexing') {
          this.show('$(sync~spin) carve: indexing', 'carve is indexing the workspace');
          this.poll = setTimeout(() => this.pollStatus(), 250);
          return;
        }
        this.ready = true;
        this.item.command = status.state === 'error' ? 'carve.showLogs' : 'workbench.actions.view.problems';
        this.showCount(status.error ?? undefined);
      })
      .catch((error) => this.log.debug(`carve.status failed: ${String(error)}`));
  }

  private showCount(error?: string): void {
    const count = countCarveFindings(vscode.languages.getDiagnostics());
    if (count > 0 && !this.firstDiagnosticsLogged) {
      this.firstDiagnosticsLogged = true;
      this.log.info(`Activation to first carve diagnostics: ${Date.now() - this.activatedAt} ms`);
    }
    if (!this.ready) return;
    if (error) {
      this.show('$(error) carve', `carve: ${error}`);
      return;
    }
    this.show(findingsText(count), `${count} carve finding${count === 1 ? '' : 's'}: click to open Problems`);
  }

  private show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    clearTimeout(this.poll);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
