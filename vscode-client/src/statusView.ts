// Show Modularization Status: the `carve status` table (server command carve.migrationStatus)
// in a webview.
import * as vscode from 'vscode';

export interface PackageRow {
  package: string;
  hubs: string[];
  feature_files: string[];
  largest_file: string;
  largest_lines: number;
  outside_imports: number;
  via_hub: number;
  hub_share: number | null;
  findings: Record<string, number>;
}

export interface MigrationStatus {
  projects: { root: string; packages: PackageRow[] }[];
}

let panel: vscode.WebviewPanel | undefined;

export function showStatusPanel(context: vscode.ExtensionContext, status: MigrationStatus): void {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('carve.status', 'carve: Modularization Status', vscode.ViewColumn.Active, {
      enableScripts: false,
    });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  }
  panel.webview.html = statusHtml(status, panel.webview.cspSource);
  panel.reveal();
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const last = (module: string): string => module.split('.').pop() ?? module;

export function rowCells(row: PackageRow): string[] {
  const share = row.hub_share === null ? '–' : `${Math.round(row.hub_share * 100)}% of ${row.outside_imports}`;
  const findings = Object.entries(row.findings)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  return [
    row.package,
    row.hubs.map(last).join(', ') || '–',
    String(row.feature_files.length),
    row.largest_file ? `${last(row.largest_file)} (${row.largest_lines} lines)` : '–',
    share,
    findings || '–',
  ];
}

export function statusHtml(status: MigrationStatus, cspSource: string): string {
  const header = ['package', 'hubs', 'feature files', 'largest file', 'imports via the hub', 'findings'];
  const tables = status.projects.map((project) => {
    const rows = project.packages
      .map((row) => `<tr>${rowCells(row).map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`)
      .join('\n');
    const body = rows || `<tr><td colspan="${header.length}">no packages</td></tr>`;
    return `<h2>${escape(project.root)}</h2>
<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<title>carve: Modularization Status</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--vscode-panel-border); }
th { font-weight: 600; }
</style></head>
<body>
<h1>Modularization status</h1>
${tables.join('\n') || '<p>No carve project in this workspace.</p>'}
</body></html>`;
}
