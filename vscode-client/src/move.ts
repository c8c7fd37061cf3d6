// Move Symbol to Feature File…: the destination picker and the carve.moveSymbol call.
// The server names the candidates (carve.pickMoveDestination's arguments); this module only
// asks the user and passes the answer on.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

/** The arguments of the server's "Move to another feature file…" action. */
export interface PickerArgs {
  uri: string;
  names: string[];
  source: string;
  suggestions: string[];
}

export interface MoveArgs {
  uri: string;
  names: string[];
  destination: string;
  importers: null;
}

export interface DestinationItem extends vscode.QuickPickItem {
  /** A module name, or undefined for "New feature file…". */
  module: string | undefined;
}

export const PICK_COMMAND = 'carve.pickMoveDestination';

/** The arguments of the server's "Move to another feature file…" action among `actions`
 * (a `textDocument/codeAction` answer for `refactor.move`). */
export function pickerArguments(actions: ReadonlyArray<unknown>): PickerArgs | undefined {
  for (const action of actions) {
    const command = (action as { command?: { command?: string; arguments?: unknown[] } }).command;
    if (command?.command === PICK_COMMAND && command.arguments?.length) {
      return command.arguments[0] as PickerArgs;
    }
  }
  return undefined;
}

export const NEW_FILE_LABEL = '$(new-file) New feature file…';

/** The package holding `source` (a module named `a.b.models` in `a/b/models.py`, or the
 * package itself for `a/b/models/__init__.py`). */
export function packageOf(args: PickerArgs): string {
  const file = vscode.Uri.parse(args.uri).fsPath;
  return path.basename(file) === '__init__.py' ? args.source : args.source.split('.').slice(0, -1).join('.');
}

/** The file a module of the source's package lives in (modules elsewhere: undefined). */
export function fileOf(args: PickerArgs, module: string): string | undefined {
  const pkg = packageOf(args);
  if (!pkg || !module.startsWith(`${pkg}.`)) return undefined;
  const dir = path.dirname(vscode.Uri.parse(args.uri).fsPath);
  return path.join(dir, ...module.slice(pkg.length + 1).split('.')) + '.py';
}

/** Existing feature files first (the conventional one when it exists), then "New feature
 * file…". `exists` says whether a suggested module is already a file. */
export function destinationItems(args: PickerArgs, exists: (module: string) => boolean): DestinationItem[] {
  const [conventional, ...siblings] = args.suggestions;
  const existing = [conventional, ...siblings].filter((m): m is string => !!m && exists(m));
  const items: DestinationItem[] = existing.map((module) => ({
    label: `$(file) ${module.split('.').pop()}.py`,
    description: module,
    detail: module === conventional ? 'the conventional feature file' : undefined,
    module,
  }));
  const fresh = conventional && !exists(conventional) ? conventional : undefined;
  items.push({
    label: NEW_FILE_LABEL,
    description: fresh ?? '',
    detail: fresh ? `creates ${fresh.split('.').pop()}.py beside ${args.source.split('.').pop()}` : undefined,
    module: undefined,
  });
  return items;
}

/** What the "New feature file…" input box starts with: the conventional name when that
 * file does not exist yet, else the package prefix. */
export function newFileDefault(args: PickerArgs, exists: (module: string) => boolean): string {
  const conventional = args.suggestions[0];
  if (conventional && !exists(conventional)) return conventional;
  const pkg = packageOf(args);
  return pkg ? `${pkg}.` : '';
}

export function validateModuleName(value: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value.trim())
    ? undefined
    : 'A dotted module name, e.g. apps.billing.invoice_models';
}

export function moveArguments(args: PickerArgs, destination: string): MoveArgs {
  return { uri: args.uri, names: [...args.names], destination: destination.trim(), importers: null };
}

/** Ask where to move; undefined when the user cancels. */
export async function pickDestination(args: PickerArgs): Promise<string | undefined> {
  const exists = (module: string): boolean => {
    const file = fileOf(args, module);
    return file !== undefined && fileExists(file);
  };
  const what = args.names.join(', ');
  const picked = await vscode.window.showQuickPick(destinationItems(args, exists), {
    title: `Move ${what} to`,
    placeHolder: 'A feature file of this package, or a new one',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.module) return picked.module;
  const value = newFileDefault(args, exists);
  return vscode.window.showInputBox({
    title: `Move ${what} to a new feature file`,
    prompt: 'Module name of the new feature file',
    value,
    valueSelection: [value.lastIndexOf('.') + 1, value.length],
    validateInput: validateModuleName,
  });
}

function fileExists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
