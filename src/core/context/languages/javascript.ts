// JavaScript, JSX included (the JavaScript grammar parses JSX), and the lookup group TS and TSX share.
import * as path from 'node:path';
import { dirOf, type FileLookup, joinInside } from './importPaths';
import type { ImportRule, LanguageSpec } from './languageSpec';

export const javascript: LanguageSpec<'javascript'> = {
  id: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  vscodeIds: ['javascript', 'javascriptreact'],
  lookupGroup: 'js',
  resolveImport: jsImportRule(false),
};

const posix = path.posix;

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const JS_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.d.ts', '.mts', '.cts'];
/** TS ESM convention: `import './x.js'` names the output; the source is x.ts. */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

/**
 * Relative and `@/` imports of TypeScript, TSX and JavaScript. `typescriptFirst`: `./x` (or
 * `./x.js`, TS's ESM spelling) means x.ts before x.js, as in a TypeScript file.
 */
export function jsImportRule(typescriptFirst: boolean): ImportRule {
  return (fromFile, spec, files) => resolveJs(fromFile, typescriptFirst, spec, files);
}

function resolveJs(fromFile: string, isTs: boolean, spec: string, files: FileLookup): string[] {
  const clean = spec.replace(/[?#].*$/, '');
  let bases: string[];
  if (clean === '.' || clean === '..' || clean.startsWith('./') || clean.startsWith('../')) {
    const base = joinInside(dirOf(fromFile), clean);
    if (base === undefined) return [];
    bases = [base];
  } else if (clean.startsWith('@/') || clean.startsWith('~/')) {
    // The de-facto alias of Vite, Next.js and Nuxt templates: the project's src/ (or root).
    bases = [`src/${clean.slice(2)}`, clean.slice(2)];
  } else {
    return []; // a package
  }
  const extensions = isTs ? TS_EXTENSIONS : JS_EXTENSIONS;
  for (const base of bases) {
    const hit = firstJsMatch(base, isTs, extensions, files);
    if (hit === undefined) continue;
    // A declaration file's implementation is worth having too (hand-written .d.ts next to .js).
    if (hit.endsWith('.d.ts')) {
      const impl = ['.js', '.mjs', '.cjs'].map((e) => hit.slice(0, -5) + e).find((p) => files.has(p));
      if (impl !== undefined) return [hit, impl];
    }
    return [hit];
  }
  return [];
}

function firstJsMatch(base: string, isTs: boolean, extensions: string[], files: FileLookup): string | undefined {
  const ext = posix.extname(base);
  const mapped = JS_TO_TS[ext];
  if (mapped !== undefined) {
    const stem = base.slice(0, -ext.length);
    const tsCandidates = mapped.map((e) => stem + e);
    const ordered = isTs ? [...tsCandidates, base] : [base, ...tsCandidates];
    const hit = ordered.find((p) => files.has(p));
    if (hit !== undefined) return hit;
  } else if (ext !== '' && files.has(base)) {
    return base; // './styles.css', './data.json', './App.vue'
  }
  for (const e of extensions) if (files.has(base + e)) return base + e;
  const dir = base === '' ? '' : `${base}/`;
  for (const e of extensions) if (files.has(`${dir}index${e}`)) return `${dir}index${e}`;
  return undefined;
}
