// The language client: start `carve serve` with the resolved interpreter, stop, restart.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type ClientCapabilities,
  type LanguageClientOptions,
  type StaticFeature,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { openMovedFile } from './commands';
import { LaunchError, serverCommand, type BundleInfo } from './launch';
import { chooseInterpreter, type PythonApi } from './python';
import { Restarter } from './restart';
import { initializationOptions, readSettings } from './settings';
import { gatedDiagnostics, PullGate, watchFiles } from './workspacePull';

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

export class CarveServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private watcher: vscode.Disposable | undefined;
  private readonly restarter = new Restarter((reason) => this.restart(reason));
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  state: ServerState = 'stopped';

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly python: () => PythonApi | undefined,
  ) {}

  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** Run a server command (`carve.status`, `carve.moveSymbol`…); rejects when the server
   * is not running or answers an error. */
  async execute<T>(command: string, ...args: unknown[]): Promise<T> {
    const client = this.languageClient;
    if (!client) throw new Error('the carve server is not running (see "Carve: Show Logs")');
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  /** Whether the running server offers `command` (commands arrive with carve versions). */
  supports(command: string): boolean {
    return !!this.languageClient?.initializeResult?.capabilities.executeCommandProvider?.commands.includes(command);
  }

  /** Restart (coalesced with any restart in progress). */
  requestRestart(reason: string): Promise<void> {
    return this.restarter.schedule(reason);
  }

  private async restart(reason: string): Promise<void> {
    this.log.info(`Starting the carve server (${reason})`);
    await this.stop();
    this.setState('starting');
    const settings = readSettings();
    const t0 = Date.now();
    try {
      const choice = await chooseInterpreter(settings.interpreter, this.python());
      const launch = await serverCommand({
        choice,
        strategy: settings.importStrategy,
        extensionPath: this.extensionPath,
        bundle: readBundleInfo(this.extensionPath),
        baseEnv: process.env,
      });
      this.log.info(`Using ${launch.description} (probed in ${Date.now() - t0} ms): ${launch.command} ${launch.args.join(' ')}`);
      const serverOptions: ServerOptions = {
        command: launch.command,
        args: launch.args,
        options: { cwd: this.extensionPath, env: { ...process.env, ...launch.env } },
      };
      const options = initializationOptions(settings);
      const gate = new PullGate();
      this.watcher = watchFiles(gate);
      const clientOptions = languageClientOptions(options, gate, this.log);
      const client = new LanguageClient('carve', 'Carve', serverOptions, clientOptions);
      client.registerFeature(directEdits);
      client.onDidChangeState(({ newState }) => {
        if (this.client !== client || this.state === 'starting') return;
        // vscode-languageclient restarts a crashed server a few times, then gives up.
        if (newState === State.Running) this.setState('running');
        else if (newState === State.Stopped) {
          this.log.error('The carve server stopped (see the lines above); "Carve: Restart Server" starts it again.');
          this.setState('failed');
        }
      });
      this.client = client;
      const t1 = Date.now();
      await client.start();
      this.log.info(`The carve server answered initialize in ${Date.now() - t1} ms`);
      this.setState('running');
    } catch (error) {
      this.client = undefined;
      this.setState('failed');
      this.report(error);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`Stopping the carve server failed: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState('stopped');
  }

  private report(error: unknown): void {
    const message =
      error instanceof LaunchError
        ? error.message
        : `The carve server failed to start: ${error instanceof Error ? error.message : String(error)}`;
    this.log.error(message);
    if (error instanceof LaunchError && error.detail) this.log.error(`Why: ${error.detail}`);
    void vscode.window.showErrorMessage(message, 'Show Logs', 'Open Settings').then((choice) => {
      if (choice === 'Show Logs') this.log.show();
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'carve.');
    });
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
  }
}

/** The language client's options: initializationOptions (also the answer to the server's
 * `workspace/configuration` for section "carve"), the log channel, and the middleware. */
export function languageClientOptions(
  options: Record<string, unknown>,
  gate: PullGate,
  log: vscode.LogOutputChannel,
): LanguageClientOptions {
  return {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    outputChannel: log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: options,
    middleware: {
      ...gatedDiagnostics(gate),
      ...openMovedFile,
      workspace: {
        configuration: (params, token, next) =>
          params.items.some((item) => item.section === 'carve')
            ? params.items.map((item) => (item.section === 'carve' ? options : null))
            : next(params, token),
      },
    },
  };
}

/** Refactors apply at once (one undo reverts them) instead of through the Refactor Preview:
 * VS Code (1.100) starts every edit the server marks `needsConfirmation` *unchecked* in the
 * preview, so "Apply" would apply nothing. The server only asks for a preview from clients
 * announcing change annotations; this client does not announce them. */
export const directEdits: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities) {
    delete capabilities.workspace?.workspaceEdit?.changeAnnotationSupport;
  },
  initialize() {},
  getState: () => ({ kind: 'static' }),
  clear() {},
};

export function readBundleInfo(extensionPath: string): BundleInfo | undefined {
  try {
    const file = path.join(extensionPath, 'bundled', 'libs', 'carve-bundle.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BundleInfo;
  } catch {
    return undefined;
  }
}
