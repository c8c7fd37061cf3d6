// carve.* settings: read from VS Code, turned into the server's initializationOptions.
import * as vscode from 'vscode';

export type ImportStrategy = 'fromEnvironment' | 'bundled';
export type LogLevel = 'error' | 'warning' | 'info' | 'debug';

export interface CarveSettings {
  interpreter: string;
  importStrategy: ImportStrategy;
  importPolicy: 'via-hub' | 'direct' | null;
  maxLines: number | null;
  maxClasses: number | null;
  severity: Record<string, string>;
  logLevel: LogLevel;
}

const LOG_LEVELS: LogLevel[] = ['error', 'warning', 'info', 'debug'];

/** The settings for `scope`. In an untrusted workspace a workspace-level `carve.interpreter`
 * is not honoured: only the user's own (global) value counts. */
export function readSettings(scope?: vscode.ConfigurationScope): CarveSettings {
  const config = vscode.workspace.getConfiguration('carve', scope);
  const policy = config.get<string | null>('importPolicy', null);
  const level = config.get<string>('logLevel', 'info');
  return {
    interpreter: interpreterSetting(config).trim(),
    importStrategy: config.get<string>('importStrategy') === 'bundled' ? 'bundled' : 'fromEnvironment',
    importPolicy: policy === 'via-hub' || policy === 'direct' ? policy : null,
    maxLines: positiveInteger(config.get('maxLines')),
    maxClasses: positiveInteger(config.get('maxClasses')),
    severity: stringRecord(config.get('severity')),
    logLevel: LOG_LEVELS.includes(level as LogLevel) ? (level as LogLevel) : 'info',
  };
}

function interpreterSetting(config: vscode.WorkspaceConfiguration): string {
  if (vscode.workspace.isTrusted) {
    return config.get<string>('interpreter', '') ?? '';
  }
  return config.inspect<string>('interpreter')?.globalValue ?? '';
}

/** What the server reads as `initializationOptions` (and answers to `workspace/configuration`
 * for section "carve"): only the keys the user set, so the project's `[tool.carve]` and
 * carve's defaults apply everywhere else. */
export function initializationOptions(settings: CarveSettings): Record<string, unknown> {
  const options: Record<string, unknown> = { logLevel: settings.logLevel };
  if (settings.importPolicy !== null) options.importPolicy = settings.importPolicy;
  if (settings.maxLines !== null) options.maxLines = settings.maxLines;
  if (settings.maxClasses !== null) options.maxClasses = settings.maxClasses;
  if (Object.keys(settings.severity).length > 0) options.severity = { ...settings.severity };
  return options;
}

/** Whether a configuration change needs a server restart (any carve.* setting). */
export function needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('carve');
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : null;
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const result: Record<string, string> = {};
  for (const [key, level] of Object.entries(value as Record<string, unknown>)) {
    if (typeof level === 'string') result[key] = level;
  }
  return result;
}
