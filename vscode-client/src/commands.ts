// The palette commands (category "Carve") and the client command the server's
// "Move to another feature file…" action runs.
import * as vscode from 'vscode';
import { CodeActionRequest, ResponseError, type Middleware } from 'vscode-languageclient/node';
import { moveArguments, pickDestination, pickerArguments, PICK_COMMAND, type PickerArgs } from './move';
import type { CarveServer } from './server';
import { pickRewrite, REWRITE_COMMAND } from './rewriteImports';
import { planArgument, PICK_SPLIT_COMMAND, reviewPlan, SPLIT_COMMAND, type SplitPlan } from './split';
import { showStatusPanel, type MigrationStatus } from './statusView';

const REQUEST_FAILED = -32803;

interface RefactorResult {
  applied: boolean;
  reason: string | null;
  files: string[];
  created: string[];
  warnings: string[];
}

interface CheckResult {
  findings: number;
  files: number;
  byRule: Record<string, number>;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  server: CarveServer,
  log: vscode.LogOutputChannel,
): void {
  const register = (name: string, run: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(name, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log.error(`${name} failed: ${message}`);
          // A refusal (RequestFailed): the server has already shown its reason.
          if (!(error instanceof ResponseError && error.code === REQUEST_FAILED)) {
            void vscode.window.showErrorMessage(message.startsWith('carve') ? message : `carve: ${message}`);
          }
          return undefined;
        }
      }),
    );
  };
  register('carve.restartServer', () => server.requestRestart('Carve: Restart Server'));
  register('carve.showLogs', () => log.show());
  register('carve.moveSymbolToFeatureFile', () => moveSymbolAtCursor(server, log));
  register(PICK_COMMAND, (args) => moveWithPicker(server, log, args as PickerArgs));
  register('carve.splitModuleByFeature', () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'python') {
      void vscode.window.showInformationMessage('carve: open the Python module to split.');
      return undefined;
    }
    return splitModule(server, log, editor.document.uri.toString());
  });
  register(PICK_SPLIT_COMMAND, (args) => splitModule(server, log, (args as { uri: string }).uri));
  register('carve.rewriteImportsCommand', () => rewriteImports(server, log));
  register('carve.runWorkspaceCheck', () => checkWorkspace(server)); // carve.checkWorkspace: the server's own
  register('carve.showStatus', async () => {
    const status = await server.execute<MigrationStatus>('carve.migrationStatus');
    showStatusPanel(context, status);
  });
}

/** From the palette: the definition at the cursor, via the server's own move action. */
async function moveSymbolAtCursor(server: CarveServer, log: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const client = server.languageClient;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('carve: open a Python file and put the cursor on what to move.');
    return;
  }
  if (!client) throw new Error('the carve server is not running (see "Carve: Show Logs")');
  const position = client.code2ProtocolConverter.asPosition(editor.selection.active);
  const actions = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
    range: { start: position, end: position },
    context: { diagnostics: [], only: ['refactor.move'] },
  });
  const picker = pickerArguments(actions ?? []);
  if (!picker) {
    void vscode.window.showInformationMessage(
      'carve: put the cursor on a top-level class, function or constant to move it to a feature file.',
    );
    return;
  }
  await moveWithPicker(server, log, picker);
}

async function moveWithPicker(server: CarveServer, log: vscode.LogOutputChannel, args: PickerArgs): Promise<void> {
  const destination = await pickDestination(args);
  if (!destination) return;
  const moveArgs = moveArguments(args, destination);
  log.info(`carve.moveSymbol ${JSON.stringify(moveArgs)}`);
  const result = await server.execute<RefactorResult>('carve.moveSymbol', moveArgs);
  if (!result.applied) {
    void vscode.window.showInformationMessage(`carve: nothing moved (${result.reason ?? 'cancelled'}).`);
    return;
  }
  await showMoved(result, destination);
}

/** After a move: open its destination (the new file), and say what it could not change. */
export async function showMoved(result: RefactorResult, destination: string | null): Promise<void> {
  const name = destination ? `/${destination.split('.').pop()}.py` : undefined;
  const target = result.created[0] ?? (name ? result.files.find((f) => f.endsWith(name)) : undefined);
  if (target) await vscode.window.showTextDocument(vscode.Uri.parse(target), { preview: false });
  if (result.warnings.length) {
    void vscode.window.showWarningMessage(`carve: ${result.warnings.join(' ')}`);
  }
}

/** The server's own "Move `X` to x_models.py" action runs carve.moveSymbol directly: open
 * the new file then too. */
export const openMovedFile: Middleware = {
  async executeCommand(command, args, next) {
    const result = await next(command, args);
    if (command === 'carve.moveSymbol' && (result as RefactorResult | undefined)?.applied) {
      const destination = (args[0] as { destination?: string | null } | undefined)?.destination ?? null;
      await showMoved(result as RefactorResult, destination);
    }
    return result;
  },
};

/** Split Module by Feature…: the server's proposal, reviewed and edited, then applied. */
async function splitModule(server: CarveServer, log: vscode.LogOutputChannel, uri: string): Promise<void> {
  if (!server.supports(SPLIT_COMMAND)) {
    void vscode.window.showInformationMessage(
      `carve: this carve server cannot split modules yet (it has no ${SPLIT_COMMAND} command).`,
    );
    return;
  }
  const proposed = await server.execute<{ plan: SplitPlan }>(SPLIT_COMMAND, { uri });
  const plan = await reviewPlan(proposed.plan);
  if (!plan) return;
  log.info(`${SPLIT_COMMAND} ${JSON.stringify({ uri, plan: planArgument(plan) })}`);
  const result = await server.execute<RefactorResult>(SPLIT_COMMAND, { uri, plan: planArgument(plan) });
  if (!result.applied) {
    void vscode.window.showInformationMessage(`carve: nothing split (${result.reason ?? 'cancelled'}).`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preview: false });
  if (result.warnings.length) void vscode.window.showWarningMessage(`carve: ${result.warnings.join(' ')}`);
}

/** Rewrite Imports…: how (direct / via the hub) and of which hubs, then the server's
 * carve.rewriteImports. */
async function rewriteImports(server: CarveServer, log: vscode.LogOutputChannel): Promise<void> {
  if (!server.supports(REWRITE_COMMAND)) {
    void vscode.window.showInformationMessage(
      `carve: this carve server cannot rewrite imports yet (it has no ${REWRITE_COMMAND} command).`,
    );
    return;
  }
  const args = await pickRewrite(await server.execute<MigrationStatus>('carve.migrationStatus'));
  if (!args) return;
  log.info(`${REWRITE_COMMAND} ${JSON.stringify(args)}`);
  const result = await server.execute<RefactorResult>(REWRITE_COMMAND, args);
  if (result.warnings.length) void vscode.window.showWarningMessage(`carve: ${result.warnings.join(' ')}`);
  void vscode.window.showInformationMessage(
    result.applied
      ? `carve: imports rewritten in ${result.files.length} file${result.files.length === 1 ? '' : 's'}.`
      : `carve: no import rewritten (${result.reason ?? 'cancelled'}).`,
  );
}

async function checkWorkspace(server: CarveServer): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'carve: checking the workspace' },
    () => server.execute<CheckResult>('carve.checkWorkspace'),
  );
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const rules = Object.entries(result.byRule)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  void vscode.window.showInformationMessage(
    result.findings === 0
      ? 'carve: no findings in the workspace.'
      : `carve: ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'} (${rules}).`,
  );
}
