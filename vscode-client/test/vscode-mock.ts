// The slice of the `vscode` API the unit tests need. Tests set `mock.settings`,
// `mock.workspaceSettings`, `mock.trusted` and the window functions.
import { fileURLToPath, pathToFileURL } from 'url';
import { vi } from 'vitest';

export const mock = {
  /** carve.* values as the user set them (global scope). */
  settings: {} as Record<string, unknown>,
  /** carve.* values from the workspace's settings. */
  workspaceSettings: {} as Record<string, unknown>,
  trusted: true,
  reset(): void {
    this.settings = {};
    this.workspaceSettings = {};
    this.trusted = true;
  },
};

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
    private readonly text: string,
  ) {}
  static parse(value: string): Uri {
    return new Uri(value.split(':')[0], value.startsWith('file:') ? fileURLToPath(value) : value, value);
  }
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath, pathToFileURL(fsPath).href);
  }
  toString(): string {
    return this.text;
  }
}

export const workspace = {
  get isTrusted(): boolean {
    return mock.trusted;
  },
  getConfiguration(section: string) {
    const key = (name: string): string => `${section}.${name}`;
    return {
      get<T>(name: string, fallback?: T): T | undefined {
        const k = key(name);
        if (k in mock.workspaceSettings) return mock.workspaceSettings[k] as T;
        if (k in mock.settings) return mock.settings[k] as T;
        return fallback;
      },
      inspect<T>(name: string) {
        const k = key(name);
        return {
          key: k,
          globalValue: mock.settings[k] as T | undefined,
          workspaceValue: mock.workspaceSettings[k] as T | undefined,
        };
      },
    };
  },
};

export const window = {
  showQuickPick: vi.fn(),
  showInputBox: vi.fn(),
  showInformationMessage: vi.fn(),
  showErrorMessage: vi.fn(() => Promise.resolve(undefined)),
};

export const extensions = { getExtension: vi.fn(() => undefined) };

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}
