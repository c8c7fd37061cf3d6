import { describe, expect, it, vi } from 'vitest';

// The real module requires the `vscode` runtime; only its constants are used here.
vi.mock('vscode-languageclient/node', () => ({
  RevealOutputChannelOn: { Never: 4 },
  State: { Running: 2 },
  ExecuteCommandRequest: { type: {} },
  CodeActionRequest: { type: {} },
  ResponseError: class extends Error {},
  LanguageClient: class {},
}));
import { languageClientOptions } from '../src/server';
import { initializationOptions, readSettings } from '../src/settings';
import { PullGate } from '../src/workspacePull';
import { mock } from './vscode-mock';

describe('the language client options', () => {
  it('start the server with the settings and answer its configuration request with them', async () => {
    mock.reset();
    mock.settings = { 'carve.maxLines': 800, 'carve.logLevel': 'debug' };
    const options = initializationOptions(readSettings());
    const client = languageClientOptions(options, new PullGate(), {} as never);
    expect(client.initializationOptions).toEqual({ logLevel: 'debug', maxLines: 800 });
    expect(client.documentSelector).toEqual([{ scheme: 'file', language: 'python' }]);
    const configuration = client.middleware!.workspace!.configuration!;
    const next = () => ['from VS Code'];
    const token = {} as never;
    expect(await configuration({ items: [{ section: 'carve' }, { section: 'python' }] }, token, next)).toEqual([
      { logLevel: 'debug', maxLines: 800 },
      null,
    ]);
    expect(await configuration({ items: [{ section: 'python' }] }, token, next)).toEqual(['from VS Code']);
  });
});
