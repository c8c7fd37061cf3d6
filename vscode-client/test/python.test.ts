import { describe, expect, it } from 'vitest';
import { chooseInterpreter, PATH_CANDIDATES, type PythonApi } from '../src/python';

const api = (active: string | undefined | Error): PythonApi => ({
  activeInterpreter: () => (active instanceof Error ? Promise.reject(active) : Promise.resolve(active)),
  onDidChangeInterpreter: () => ({ dispose: () => undefined }),
});

describe('interpreter resolution order', () => {
  it('takes carve.interpreter first, even with the Python extension installed', async () => {
    const choice = await chooseInterpreter('/opt/py/bin/python', api('/venv/bin/python'));
    expect(choice).toEqual({ source: 'setting', candidates: ['/opt/py/bin/python'] });
  });

  it("then the Python extension's active interpreter", async () => {
    const choice = await chooseInterpreter('', api('/venv/bin/python'));
    expect(choice).toEqual({ source: 'python-extension', candidates: ['/venv/bin/python'] });
  });

  it('then python3, python on PATH when the extension is missing, has none or fails', async () => {
    for (const python of [undefined, api(undefined), api(new Error('boom'))]) {
      const choice = await chooseInterpreter('', python);
      expect(choice).toEqual({ source: 'path', candidates: ['python3', 'python'] });
    }
    expect(PATH_CANDIDATES).toEqual(['python3', 'python']);
  });
});
