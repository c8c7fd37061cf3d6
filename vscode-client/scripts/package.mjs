// npm run package: esbuild bundle + bundled/libs + vsce → dist/carve-<version>.vsix.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const client = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8'));
const out = path.join(client, 'dist', `carve-${version}.vsix`);
const step = (label, command, args) => {
  const t0 = Date.now();
  execFileSync(command, args, { cwd: client, stdio: 'inherit' });
  console.log(`[package] ${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
};

step('bundle', process.execPath, ['scripts/build.mjs']);
if (!process.env.CARVE_SKIP_LIBS) step('bundled/libs', process.execPath, ['scripts/bundle-libs.mjs']);
fs.mkdirSync(path.dirname(out), { recursive: true });
const vsce = path.join(client, 'node_modules', '@vscode', 'vsce', 'vsce');
step('vsce', process.execPath, [vsce, 'package', '--no-dependencies', '--out', out]);
console.log(`[package] ${path.relative(client, out)}: ${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
