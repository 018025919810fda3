// Copies tree-sitter's runtime and the per-language grammars from their npm packages into grammars/
// (never committed as binaries), with each package's own tags.scm next to Bantam's query files:
//   grammars/web-tree-sitter.wasm              the parser runtime
//   grammars/tree-sitter-<language>.wasm       one grammar per language spec
//   grammars/queries/<language>/tags.scm       the package's definitions/references query
// What to copy for each language is its spec's `grammar` (src/core/context/languages/), read from
// the registry itself. TypeScript's tags.scm only adds to JavaScript's (the TypeScript grammar
// extends it), so its spec lists both packages; TSX lists none, as it reads TypeScript's folder.
// Bantam's own queries (imports.scm, extra-tags.scm) are committed in grammars/queries/<language>/
// and left alone.
import { buildSync } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'grammars');
const registry = join(root, 'src', 'core', 'context', 'languages', 'registry.ts');

// Packages are read from node_modules directly: some (web-tree-sitter) don't export package.json.
const packageDir = (name) => join(root, 'node_modules', name);

/**
 * Each language spec's id and grammar, in the registry's order. The registry is TypeScript and this
 * script runs before the build, so it is bundled in memory and run here: one list of languages,
 * nothing to keep in step by hand.
 */
export function languageGrammars() {
  const [bundle] = buildSync({
    entryPoints: [registry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  }).outputFiles;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', bundle.text)(module, module.exports, createRequire(registry));
  return module.exports.LANGUAGE_SPECS.map((spec) => ({ id: spec.id, ...spec.grammar }));
}

export function copyGrammars() {
  mkdirSync(out, { recursive: true });
  copyFileSync(join(packageDir('web-tree-sitter'), 'web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
  const grammars = languageGrammars();
  for (const { id, package: pkg, wasm, tags: tagSources } of grammars) {
    copyFileSync(join(packageDir(pkg), wasm), join(out, `tree-sitter-${id}.wasm`));
    if (tagSources.length === 0) continue;
    const queries = join(out, 'queries', id);
    mkdirSync(queries, { recursive: true });
    const tags = tagSources
      .map((source) => join(packageDir(source), 'queries', 'tags.scm'))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    writeFileSync(join(queries, 'tags.scm'), tags);
  }
  return grammars.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`copied ${copyGrammars()} grammars to grammars/`);
}
