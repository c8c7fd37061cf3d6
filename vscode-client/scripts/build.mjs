// Bundle src/extension.ts (and vscode-languageclient, @vscode/python-extension) into
// out/extension.js with esbuild. `--dev` keeps it unminified with a source map.
import * as esbuild from 'esbuild';

const dev = process.argv.includes('--dev');
await esbuild.build({
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: !dev,
  sourcemap: dev,
  logLevel: 'warning',
});
console.log(`out/extension.js built${dev ? ' (dev)' : ''}`);
