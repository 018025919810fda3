// Copies tree-sitter's runtime and the per-language grammars from their npm packages into grammars/
// (never committed as binaries), with each package's own tags.scm next to Bantam's query files:
//   grammars/web-tree-sitter.wasm              the parser runtime
//   grammars/tree-sitter-<language>.wasm       one grammar per ContextLanguage
//   grammars/queries/<language>/tags.scm       the package's definitions/references query
// TypeScript's tags.scm only adds to JavaScript's (the TypeScript grammar extends it), so the two
// are concatenated for typescript, whose queries tsx shares. Bantam's own queries (imports.scm, extra-tags.scm) are
// committed in grammars/queries/<language>/ and left alone.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'grammars');

// Packages are read from node_modules directly: some (web-tree-sitter) don't export package.json.
const packageDir = (name) => join(root, 'node_modules', name);

/** language -> [npm package, wasm file in it, tags.scm sources (package names) in order] */
const GRAMMARS = {
  typescript: ['tree-sitter-typescript', 'tree-sitter-typescript.wasm', ['tree-sitter-javascript', 'tree-sitter-typescript']],
  tsx: ['tree-sitter-typescript', 'tree-sitter-tsx.wasm', []], // uses queries/typescript (treeSitterRuntime.ts)
  javascript: ['tree-sitter-javascript', 'tree-sitter-javascript.wasm', ['tree-sitter-javascript']],
  python: ['tree-sitter-python', 'tree-sitter-python.wasm', ['tree-sitter-python']],
  go: ['tree-sitter-go', 'tree-sitter-go.wasm', ['tree-sitter-go']],
  rust: ['tree-sitter-rust', 'tree-sitter-rust.wasm', ['tree-sitter-rust']],
  java: ['tree-sitter-java', 'tree-sitter-java.wasm', ['tree-sitter-java']],
  c: ['tree-sitter-c', 'tree-sitter-c.wasm', ['tree-sitter-c']],
  cpp: ['tree-sitter-cpp', 'tree-sitter-cpp.wasm', ['tree-sitter-cpp']],
  csharp: ['tree-sitter-c-sharp', 'tree-sitter-c_sharp.wasm', ['tree-sitter-c-sharp']],
  ruby: ['tree-sitter-ruby', 'tree-sitter-ruby.wasm', ['tree-sitter-ruby']],
  php: ['tree-sitter-php', 'tree-sitter-php.wasm', ['tree-sitter-php']],
};

export function copyGrammars() {
  mkdirSync(out, { recursive: true });
  copyFileSync(join(packageDir('web-tree-sitter'), 'web-tree-sitter.wasm'), join(out, 'web-tree-sitter.wasm'));
  for (const [language, [pkg, wasm, tagSources]] of Object.entries(GRAMMARS)) {
    copyFileSync(join(packageDir(pkg), wasm), join(out, `tree-sitter-${language}.wasm`));
    if (tagSources.length === 0) continue;
    const queries = join(out, 'queries', language);
    mkdirSync(queries, { recursive: true });
    const tags = tagSources
      .map((source) => join(packageDir(source), 'queries', 'tags.scm'))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    writeFileSync(join(queries, 'tags.scm'), tags);
  }
  return Object.keys(GRAMMARS).length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`copied ${copyGrammars()} grammars to grammars/`);
}
