// Copies the dashboard's front-end libraries from node_modules into ../wwwroot/lib, where the app serves them.
// No bundler: the dashboard loads MapLibre GL JS as an ES module and Chart.js as its UMD file. Run after `npm ci`
// (the Ceasefire.Web build does both when wwwroot/lib is missing).
import { copyFileSync, mkdirSync, rmSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const lib = join(here, '..', 'wwwroot', 'lib');

const files = {
  'maplibre-gl': ['dist/maplibre-gl.mjs', 'dist/maplibre-gl-worker.mjs', 'dist/maplibre-gl-shared.mjs', 'dist/maplibre-gl.css', 'LICENSE.txt'],
  'chart.js': ['dist/chart.umd.min.js', 'LICENSE.md'],
};

rmSync(lib, { recursive: true, force: true });
const versions = {};
for (const [name, paths] of Object.entries(files)) {
  const root = join(modules, name);
  if (!existsSync(root)) {
    console.error(`copy-libs: ${name} is not in node_modules; run "npm ci" in ${here} first.`);
    process.exit(1);
  }
  versions[name] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  mkdirSync(join(lib, name), { recursive: true });
  for (const path of paths) {
    const base = path.split('/').pop();
    copyFileSync(join(root, path), join(lib, name, base));
  }
}
writeFileSync(join(lib, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
console.log(`copy-libs: ${Object.entries(versions).map(([n, v]) => `${n} ${v}`).join(', ')} -> ${lib}`);
