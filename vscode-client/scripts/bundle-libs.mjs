// bundled/libs: carve and its dependencies, installed with `pip install --target` for the
// build machine's Python and platform, plus libcst's compiled parser for the other Python
// versions of that platform (carve-bundle.json records which).
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
// libcst's compiled parser is the only part built per Python version: add the parsers of the
// other supported versions for the same platform, so the bundle runs on any of them.
const PYTHONS = ['3.10', '3.11', '3.12', '3.13', '3.14'];
const libcstInfo = fs.readdirSync(libs).find((name) => /^libcst-.*\.dist-info$/.test(name));
const libcstVersion = libcstInfo.slice('libcst-'.length, -'.dist-info'.length);
const wheelTag = /^Tag: (\S+)$/m.exec(fs.readFileSync(path.join(libs, libcstInfo, 'WHEEL'), 'utf8'))[1];
const platformTag = wheelTag.split('-').slice(2).join('-').split('.')[0];
const pythons = [`${major}.${minor}`];
for (const version of PYTHONS.filter((v) => v !== `${major}.${minor}`)) {
  const tmp = fs.mkdtempSync(path.join(client, 'bundled', '.wheel-'));
  try {
    run(['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:',
      '--implementation', 'cp', '--python-version', version, '--platform', platformTag, '--dest', tmp,
      `libcst==${libcstVersion}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    const wheel = fs.readdirSync(tmp).find((name) => name.endsWith('.whl'));
    run(['-m', 'zipfile', '-e', path.join(tmp, wheel), path.join(tmp, 'x')]);
    const natives = fs.readdirSync(path.join(tmp, 'x', 'libcst')).filter((name) => name.startsWith('native.'));
    for (const name of natives) fs.copyFileSync(path.join(tmp, 'x', 'libcst', name), path.join(libs, 'libcst', name));
    pythons.push(version);
  } catch {
    console.log(`no libcst ${libcstVersion} wheel for Python ${version} on ${platformTag}: not bundled`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
pythons.sort();

// Backports the other versions need and the build Python skipped (tomli, exceptiongroup on
// 3.10): their pure-Python wheels. A compiled one (pyyaml-ft, only for libcst's own CLI) is
// left out.
const missing = JSON.parse(run([path.join(here, 'missing_requirements.py'), libs, ...pythons]));
for (const [requirement, version] of missing) {
  try {
    run(['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-compile', '--no-deps', '--target', libs,
      '--only-binary=:all:', '--implementation', 'py', '--platform', 'any', '--python-version', version, requirement],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    console.log(`bundled ${requirement} (for Python ${version})`);
  } catch {
    console.log(`${requirement} (for Python ${version}) has no pure-Python wheel: not bundled`);
  }
}

// What the server never needs at run time: console scripts, test suites, build leftovers,
// and PyYAML (only libcst's own CLI, libcst/tool.py, imports it).
for (const entry of fs.readdirSync(libs)) {
  if (entry === 'bin' || entry === 'yaml' || entry === '_yaml' || /^(PyYAML|pyyaml)-.*\.dist-info$/.test(entry)) {
    fs.rmSync(path.join(libs, entry), { recursive: true, force: true });
  }
}
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
  JSON.stringify({ python: pythons.join(', '), platform, carve }, null, 2) + '\n',
);
console.log(`bundled/libs ready for Python ${pythons.join(', ')} on ${platform}`);
