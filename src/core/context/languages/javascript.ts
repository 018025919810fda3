// JavaScript's language spec (JSX included: the grammar parses it), with the import and cursor rules
// TypeScript and TSX share: relative and `@/` imports (TS's `./x.js` naming x.ts), and function and
// class expressions named after what they are assigned to.
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { dirOf, type FileLookup, joinInside } from './importPaths';
import type { CursorRules, ImportRule, LanguageSpec } from './languageSpec';
import { nameField, textOf } from './syntaxNodes';

/** Definitions the cursor sits in, for JavaScript and the TypeScript grammars built on it. */
export const JS_CURSOR: CursorRules = {
  scopes: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    function_expression: 'function',
    generator_function: 'function',
    arrow_function: 'function',
    method_definition: 'method',
    method_signature: 'method',
    abstract_method_signature: 'method',
    function_signature: 'function',
    class_declaration: 'class',
    class: 'class',
    abstract_class_declaration: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    internal_module: 'module',
    module: 'module',
  },
  scopeName: jsScopeName,
};

export const javascript: LanguageSpec<'javascript'> = {
  id: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  fences: { '.js': 'js', '.jsx': 'jsx', '.mjs': 'js', '.cjs': 'js' },
  vscodeIds: ['javascript', 'javascriptreact'],
  grammar: { package: 'tree-sitter-javascript', wasm: 'tree-sitter-javascript.wasm', queries: 'javascript', tags: ['tree-sitter-javascript'] },
  lookupGroup: 'js',
  resolveImport: jsImportRule(false),
  cursor: JS_CURSOR,
};

/** Function and class expressions take the name they are assigned to; an anonymous callback has none. */
function jsScopeName(node: Node, text: string): string | undefined {
  switch (node.type) {
    case 'arrow_function':
    case 'function_expression':
    case 'generator_function':
    case 'class': {
      const own = node.childForFieldName('name');
      if (own) return textOf(text, own);
      const parent = node.parent;
      if (!parent) return undefined;
      if (parent.type === 'variable_declarator' || parent.type === 'public_field_definition' || parent.type === 'field_definition') {
        return textOf(text, parent.childForFieldName('name') ?? parent.childForFieldName('property'));
      }
      if (parent.type === 'pair') return textOf(text, parent.childForFieldName('key'));
      if (parent.type === 'assignment_expression') return textOf(text, parent.childForFieldName('left'));
      return undefined;
    }
    default:
      return nameField(node, text);
  }
}

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
