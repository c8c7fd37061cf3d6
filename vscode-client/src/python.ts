// Which Python runs the server: carve.interpreter, else the Python extension's active
// interpreter (when that extension is installed), else python3/python on PATH.
import * as vscode from 'vscode';

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface InterpreterChoice {
  source: InterpreterSource;
  /** Commands to try in order; the first that runs is used. */
  candidates: string[];
}

/** The part of the Python extension's API carve uses. */
export interface PythonApi {
  activeInterpreter(resource?: vscode.Uri): Promise<string | undefined>;
  onDidChangeInterpreter(listener: () => void): vscode.Disposable;
}

export const PATH_CANDIDATES = ['python3', 'python'];

export async function chooseInterpreter(
  setting: string,
  python: PythonApi | undefined,
  resource?: vscode.Uri,
): Promise<InterpreterChoice> {
  if (setting) return { source: 'setting', candidates: [setting] };
  if (python) {
    const active = await python.activeInterpreter(resource).catch(() => undefined);
    if (active) return { source: 'python-extension', candidates: [active] };
  }
  return { source: 'path', candidates: PATH_CANDIDATES };
}

export function describeSource(choice: InterpreterChoice): string {
  switch (choice.source) {
    case 'setting':
      return 'the carve.interpreter setting';
    case 'python-extension':
      return "the Python extension's active interpreter";
    default:
      return 'PATH';
  }
}

const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The Python extension's API, or undefined when it is not installed (or fails to load). */
export async function loadPythonApi(log: vscode.LogOutputChannel): Promise<PythonApi | undefined> {
  if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) return undefined;
  try {
    const { PythonExtension } = await import('@vscode/python-extension');
    const api = await PythonExtension.api();
    return {
      async activeInterpreter(resource) {
        const envPath = api.environments.getActiveEnvironmentPath(resource);
        const env = await api.environments.resolveEnvironment(envPath);
        return env?.executable.uri?.fsPath;
      },
      onDidChangeInterpreter(listener) {
        return api.environments.onDidChangeActiveEnvironmentPath(() => listener());
      },
    };
  } catch (error) {
    log.warn(`The Python extension is installed but its API failed to load: ${String(error)}`);
    return undefined;
  }
}
