// bundled/libs: carve and its dependencies, installed with `pip install --target` for the
// build machine's Python and platform (libcst's parser is compiled: the bundle runs on
// that Python minor version and platform only; carve-bundle.json records which).
// PYTHON=/path/to/python picks the interpreter (default python3).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const client = path.resolve(here, '..');
const repo = path.resolve(client, '..');
const libs = path.join(client, 'bundled', 'libs');
const python = process.env.PYTHON || 'python3';

const run = (args, options = {}) =>
  execFileSync(python, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });

const info = JSON.parse(
  run(['-c', 'import json, sys, sysconfig; print(json.dumps([list(sys.version_info[:2]), sysconfig.get_platform()]))']),
);
const [[major, minor], platform] = info;
fs.rmSync(libs, { recursive: true, force: true });
fs.mkdirSync(libs, { recursive: true });
console.log(`pip install --target bundled/libs ${repo} (Python ${major}.${minor}, ${platform})`);
const pip = (...args) =>
  run(['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-compile', '--target', libs, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
pip(repo);
// carve needs tomli on Python < 3.11: bundle its pure-Python wheel whatever the build Python.
pip('--no-deps', '--only-binary=:all:', '--implementation', 'py', '--platform', 'any', '--python-version', '3.10', 'tomli');
// What the server never needs at run time: console scripts, test suites, build leftovers.
for (const entry of ['bin']) fs.rmSync(path.join(libs, entry), { recursive: true, force: true });
const prune = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (!entry.isDirectory()) continue;
    if (entry.name === 'tests' || entry.name === '__pycache__') fs.rmSync(full, { recursive: true, force: true });
    else prune(full);
  }
};
prune(libs);
// Bytecode in the vsix: the first start need not compile ~20 MB of Python (which it could
// not cache anyway under PYTHONDONTWRITEBYTECODE or in a read-only extensions directory).
run(['-m', 'compileall', '-q', '-j', '0', libs], { stdio: ['ignore', 'ignore', 'inherit'] });
const carve = JSON.parse(fs.readFileSync(path.join(repo, 'vscode-client', 'package.json'), 'utf8')).version;
fs.writeFileSync(
  path.join(libs, 'carve-bundle.json'),
  JSON.stringify({ python: `${major}.${minor}`, platform, carve }, null, 2) + '\n',
);
console.log(`bundled/libs ready for Python ${major}.${minor} on ${platform}`);
