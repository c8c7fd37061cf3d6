// How to start the server: probe the interpreter, then run the carve of its environment
// (importStrategy fromEnvironment) or the one bundled in bundled/libs.
import { execFile } from 'child_process';
import * as path from 'path';
import type { ImportStrategy } from './settings';
import { describeSource, type InterpreterChoice } from './python';

export const MINIMUM_PYTHON: [number, number] = [3, 10];

export interface ProbeResult {
  version: [number, number, number];
  executable: string;
  implementation: string;
  platform: string;
  environment?: { carve: string | null; missing: string[] };
  bundled?: { ok: boolean; error: string | null };
}

/** What bundled/libs was built for (written by scripts/bundle-libs.mjs). */
export interface BundleInfo {
  python: string;
  platform: string;
  carve: string;
}

export interface ServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Which carve runs: the environment's or the extension's bundled copy. */
  carve: 'environment' | 'bundled';
  description: string;
}

/** A launch that cannot work: `message` tells the user what to do, `detail` goes to the log. */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export type Prober = (command: string, args: string[]) => Promise<string>;

export const runProbe: Prober = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 20000, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}${stderr ? `\n${stderr}` : ''}`));
      else resolve(stdout);
    });
  });

export interface LaunchInputs {
  choice: InterpreterChoice;
  strategy: ImportStrategy;
  extensionPath: string;
  bundle: BundleInfo | undefined;
  baseEnv: NodeJS.ProcessEnv;
  probe?: Prober;
}

/** The command that starts `carve serve`, or a LaunchError saying exactly what is wrong. */
export async function serverCommand(inputs: LaunchInputs): Promise<ServerCommand> {
  const probe = inputs.probe ?? runProbe;
  const libs = path.join(inputs.extensionPath, 'bundled', 'libs');
  const script = path.join(inputs.extensionPath, 'bundled', 'tool', 'probe.py');
  const failures: string[] = [];
  for (const candidate of inputs.choice.candidates) {
    let output: string;
    try {
      output = await probe(candidate, [script, '--strategy', inputs.strategy, '--bundled', libs]);
    } catch (error) {
      failures.push(`${candidate}: ${String(error)}`);
      continue;
    }
    return decide(candidate, parseProbe(candidate, output), inputs, libs);
  }
  throw new LaunchError(noPythonMessage(inputs.choice), failures.join('\n'));
}

function parseProbe(candidate: string, output: string): ProbeResult {
  try {
    return JSON.parse(output.trim().split('\n').pop() ?? '') as ProbeResult;
  } catch {
    throw new LaunchError(
      `carve could not run ${candidate}: it does not look like Python ${MINIMUM_PYTHON.join('.')} or newer. Set "carve.interpreter" to a Python ${MINIMUM_PYTHON.join('.')}+ interpreter.`,
      `probe output of ${candidate}: ${output}`,
    );
  }
}

export function decide(
  candidate: string,
  probe: ProbeResult,
  inputs: Pick<LaunchInputs, 'choice' | 'strategy' | 'bundle' | 'baseEnv'>,
  libs: string,
): ServerCommand {
  const version = probe.version.join('.');
  const [major, minor] = probe.version;
  const where = `${probe.executable} (Python ${version}, from ${describeSource(inputs.choice)})`;
  if (major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
    throw new LaunchError(
      `carve needs Python ${MINIMUM_PYTHON.join('.')} or newer; ${where} is too old. Select a newer interpreter (the "carve.interpreter" setting or the Python extension's interpreter picker).`,
      `probe of ${candidate}: ${JSON.stringify(probe)}`,
    );
  }
  const args = ['-m', 'carve', 'serve'];
  const env = probe.environment;
  if (inputs.strategy === 'fromEnvironment' && env?.carve && env.missing.length === 0) {
    return {
      command: probe.executable,
      args,
      env: {},
      carve: 'environment',
      description: `carve ${env.carve} installed in ${where}`,
    };
  }
  if (probe.bundled?.ok) {
    const pythonPath = [libs, inputs.baseEnv.PYTHONPATH].filter(Boolean).join(path.delimiter);
    const why =
      inputs.strategy === 'bundled'
        ? 'carve.importStrategy is "bundled"'
        : env?.carve
          ? `the environment's carve lacks ${env.missing.join(', ')}`
          : 'carve is not installed in that environment';
    return {
      command: probe.executable,
      args,
      env: { PYTHONPATH: pythonPath },
      carve: 'bundled',
      description: `the carve bundled with the extension on ${where} (${why})`,
    };
  }
  throw new LaunchError(bundleMessage(probe, inputs.bundle), `probe of ${candidate}: ${JSON.stringify(probe)}`);
}

function noPythonMessage(choice: InterpreterChoice): string {
  if (choice.source === 'path') {
    return 'carve found no Python on PATH (tried python3 and python). Install Python 3.10 or newer, or set "carve.interpreter" to a Python interpreter, then run "Carve: Restart Server".';
  }
  return `carve could not run ${choice.candidates[0]} (from ${describeSource(choice)}). Fix or change that interpreter, then run "Carve: Restart Server".`;
}

function bundleMessage(probe: ProbeResult, bundle: BundleInfo | undefined): string {
  const exe = probe.executable;
  const install = `install carve into that environment ("${exe}" -m pip install . in a carve checkout)`;
  const builtFor = bundle ? ` was built for Python ${bundle.python} on ${bundle.platform} and` : '';
  const have = `Python ${probe.version.slice(0, 2).join('.')} on ${probe.platform}`;
  const pick = bundle
    ? bundle.python.includes(',')
      ? ', or select an interpreter of one of those versions'
      : `, or select a Python ${bundle.python} interpreter`
    : '';
  return `The carve bundled with this extension${builtFor} cannot run on ${exe} (${have}): ${install}${pick}, then run "Carve: Restart Server".`;
}
