// Entry point: wires the log, the server, the status bar item and the commands.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { loadPythonApi } from './python';
import { CarveServer } from './server';
import { needsRestart, readSettings } from './settings';
import { StatusItem } from './status';

let server: CarveServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = Date.now();
  const log = vscode.window.createOutputChannel('Carve', { log: true });
  context.subscriptions.push(log);
  const python = await loadPythonApi(log);
  server = new CarveServer(context.extensionPath, log, () => python);
  context.subscriptions.push(server, new StatusItem(server, log, activatedAt));
  registerCommands(context, server, log);

  const restart = (reason: string): void => void server?.requestRestart(reason);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart(event)) restart('carve settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart('workspace trusted')),
  );
  if (python) {
    context.subscriptions.push(
      python.onDidChangeInterpreter(() => {
        if (!readSettings().interpreter) restart('the Python interpreter changed');
      }),
    );
  }
  await server.requestRestart('activation');
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
