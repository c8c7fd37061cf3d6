import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { LaunchError, serverCommand, type LaunchInputs, type ProbeResult } from '../src/launch';

const EXT = '/ext';
const LIBS = path.join(EXT, 'bundled', 'libs');

function probeOutput(overrides: Partial<ProbeResult> = {}): string {
  return JSON.stringify({
    version: [3, 11, 7],
    executable: '/usr/bin/python3',
    implementation: 'CPython',
    platform: 'linux-x86_64',
    environment: { carve: null, missing: ['carve'] },
    bundled: { ok: true, error: null },
    ...overrides,
  });
}

function inputs(overrides: Partial<LaunchInputs> & { outputs?: Record<string, string | Error> }): LaunchInputs {
  const outputs = overrides.outputs ?? { python3: probeOutput() };
  const calls: string[][] = [];
  return {
    choice: { source: 'path', candidates: ['python3', 'python'] },
    strategy: 'fromEnvironment',
    extensionPath: EXT,
    bundle: { python: '3.11', platform: 'linux-x86_64', carve: '0.1.0' },
    baseEnv: {},
    probe: async (command, args) => {
      calls.push([command, ...args]);
      const out = outputs[command];
      if (out === undefined) throw new Error(`spawn ${command} ENOENT`);
      if (out instanceof Error) throw out;
      return out;
    },
    ...overrides,
  };
}

describe('serverCommand', () => {
  it("runs the environment's carve when it has one (fromEnvironment)", async () => {
    const env = { carve: '0.1.0', missing: [] };
    const command = await serverCommand(inputs({ outputs: { python3: probeOutput({ environment: env }) } }));
    expect(command).toMatchObject({ command: '/usr/bin/python3', args: ['-m', 'carve', 'serve'], env: {}, carve: 'environment' });
  });

  it('falls back to the bundled carve, with bundled/libs first on PYTHONPATH', async () => {
    const command = await serverCommand(inputs({ baseEnv: { PYTHONPATH: '/mine' } }));
    expect(command.carve).toBe('bundled');
    expect(command.env.PYTHONPATH).toBe([LIBS, '/mine'].join(path.delimiter));
    expect(command.description).toContain('carve is not installed in that environment');
  });

  it('uses the bundled carve when importStrategy is bundled', async () => {
    const env = { carve: '0.1.0', missing: [] };
    const command = await serverCommand(
      inputs({ strategy: 'bundled', outputs: { python3: probeOutput({ environment: env }) } }),
    );
    expect(command.carve).toBe('bundled');
  });

  it('tries python when python3 is missing, and passes the probe its arguments', async () => {
    const seen: string[][] = [];
    const base = inputs({ outputs: { python: probeOutput({ executable: '/usr/bin/python' }) } });
    const probe = base.probe!;
    const command = await serverCommand({ ...base, probe: (c, a) => (seen.push([c, ...a]), probe(c, a)) });
    expect(command.command).toBe('/usr/bin/python');
    expect(seen.map((c) => c[0])).toEqual(['python3', 'python']);
    expect(seen[1].slice(1)).toEqual([path.join(EXT, 'bundled', 'tool', 'probe.py'), '--strategy', 'fromEnvironment', '--bundled', LIBS]);
  });

  it('says what to do when no Python runs', async () => {
    const error = await serverCommand(inputs({ outputs: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect((error as LaunchError).message).toMatch(/no Python on PATH.*carve\.interpreter/);
    expect((error as LaunchError).detail).toContain('spawn python3 ENOENT');
  });

  it('refuses a Python older than 3.10, naming it', async () => {
    const old = probeOutput({ version: [3, 8, 18], executable: '/usr/bin/python3.8', environment: undefined });
    const error = (await serverCommand(inputs({ outputs: { python3: old } })).catch((e: unknown) => e)) as LaunchError;
    expect(error.message).toMatch(/needs Python 3\.10 or newer; \/usr\/bin\/python3\.8 \(Python 3\.8\.18, from PATH\) is too old/);
  });

  it('explains a bundle built for another Python', async () => {
    const bad = probeOutput({ version: [3, 12, 1], bundled: { ok: false, error: "ModuleNotFoundError: No module named 'libcst.native'" } });
    const error = (await serverCommand(inputs({ outputs: { python3: bad } })).catch((e: unknown) => e)) as LaunchError;
    expect(error.message).toContain('was built for Python 3.11 on linux-x86_64');
    expect(error.message).toContain('-m pip install . in a carve checkout');
    expect(error.message).toContain('select a Python 3.11 interpreter');
    expect(error.detail).toContain('libcst.native');
  });

  it('names the versions of a multi-version bundle', async () => {
    const bad = probeOutput({ platform: 'linux-aarch64', bundled: { ok: false, error: 'no compiled libcst parser' } });
    const bundle = { python: '3.10, 3.11, 3.12', platform: 'linux-x86_64', carve: '0.1.0' };
    const error = (await serverCommand(inputs({ bundle, outputs: { python3: bad } })).catch((e: unknown) => e)) as LaunchError;
    expect(error.message).toContain('was built for Python 3.10, 3.11, 3.12 on linux-x86_64 and cannot run on /usr/bin/python3 (Python 3.11 on linux-aarch64)');
    expect(error.message).toContain('or select an interpreter of one of those versions');
  });

  it('does not fall back to PATH when the configured interpreter fails', async () => {
    const error = (await serverCommand(
      inputs({ choice: { source: 'setting', candidates: ['/nope/python'] } }),
    ).catch((e: unknown) => e)) as LaunchError;
    expect(error.message).toContain('could not run /nope/python (from the carve.interpreter setting)');
  });
});
