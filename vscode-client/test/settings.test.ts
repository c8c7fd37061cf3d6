import { beforeEach, describe, expect, it } from 'vitest';
import { initializationOptions, needsRestart, readSettings } from '../src/settings';
import { mock } from './vscode-mock';

beforeEach(() => mock.reset());

describe('settings → initializationOptions', () => {
  it('sends only the log level by default, so the project and carve decide the rest', () => {
    expect(initializationOptions(readSettings())).toEqual({ logLevel: 'info' });
  });

  it('passes the rule settings the user set, in the server names', () => {
    mock.settings = {
      'carve.importPolicy': 'direct',
      'carve.maxLines': 800,
      'carve.maxClasses': 20,
      'carve.severity': { 'import-cycle': 'error', 'hub-bypass': 'off' },
      'carve.logLevel': 'debug',
    };
    expect(initializationOptions(readSettings())).toEqual({
      logLevel: 'debug',
      importPolicy: 'direct',
      maxLines: 800,
      maxClasses: 20,
      severity: { 'import-cycle': 'error', 'hub-bypass': 'off' },
    });
  });

  it('drops invalid values instead of sending them', () => {
    mock.settings = {
      'carve.importPolicy': 'sideways',
      'carve.maxLines': 0,
      'carve.maxClasses': 2.5,
      'carve.severity': ['error'],
      'carve.logLevel': 'loud',
      'carve.importStrategy': 'nonsense',
    };
    const settings = readSettings();
    expect(settings.importStrategy).toBe('fromEnvironment');
    expect(initializationOptions(settings)).toEqual({ logLevel: 'info' });
  });

  it('honours a workspace interpreter only in a trusted workspace', () => {
    mock.settings = { 'carve.interpreter': '/home/me/py' };
    mock.workspaceSettings = { 'carve.interpreter': './evil/python' };
    expect(readSettings().interpreter).toBe('./evil/python');
    mock.trusted = false;
    expect(readSettings().interpreter).toBe('/home/me/py');
    mock.settings = {};
    expect(readSettings().interpreter).toBe('');
  });

  it('restarts on any carve.* change only', () => {
    const event = (section: string) => ({ affectsConfiguration: (s: string) => section.startsWith(s) });
    expect(needsRestart(event('carve.maxLines'))).toBe(true);
    expect(needsRestart(event('carve.trace.server'))).toBe(true);
    expect(needsRestart(event('python.defaultInterpreterPath'))).toBe(false);
  });
});
