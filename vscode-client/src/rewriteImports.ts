// Rewrite Imports…: move a hub's importers to the defining modules (direct) or back through
// the hub (via-hub), for one hub, one package or every hub; the server's carve.rewriteImports
// plans, verifies and applies it as one edit.
import * as vscode from 'vscode';
import type { MigrationStatus } from './statusView';

export const REWRITE_COMMAND = 'carve.rewriteImports';

export type RewriteMode = 'direct' | 'via-hub';

export interface RewriteArgs {
  mode: RewriteMode;
  target: string | null;
}

interface ModeItem extends vscode.QuickPickItem {
  mode: RewriteMode;
}

export interface TargetItem extends vscode.QuickPickItem {
  target: string | null;
}

export const MODE_ITEMS: ModeItem[] = [
  { label: 'Import from the defining modules', description: 'direct', mode: 'direct' },
  { label: 'Import through the hubs', description: 'via-hub', mode: 'via-hub' },
];

/** Every hub, then each package holding hubs, then each hub (from carve.migrationStatus). */
export function targetItems(status: MigrationStatus): TargetItem[] {
  const items: TargetItem[] = [{ label: '$(globe) Every hub in the workspace', target: null }];
  const rows = status.projects.flatMap((p) => p.packages).filter((row) => row.hubs.length > 0);
  for (const row of rows) {
    items.push({ label: `$(package) ${row.package}`, description: 'package', target: row.package });
  }
  for (const hub of rows.flatMap((row) => row.hubs)) {
    items.push({ label: `$(file) ${hub}`, description: 'hub', target: hub });
  }
  return items;
}

/** Ask how and where; the carve.rewriteImports argument, or undefined when cancelled. */
export async function pickRewrite(status: MigrationStatus): Promise<RewriteArgs | undefined> {
  const mode = await vscode.window.showQuickPick(MODE_ITEMS, { title: 'Rewrite imports: how' });
  if (!mode) return undefined;
  const target = await vscode.window.showQuickPick(targetItems(status), {
    title: `Rewrite imports (${mode.description}): of which hubs`,
    matchOnDescription: true,
  });
  return target ? { mode: mode.mode, target: target.target } : undefined;
}
