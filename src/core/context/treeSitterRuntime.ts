// Owns web-tree-sitter for one process: initialises the WASM runtime once, then loads each
// language's grammar and compiles its queries on first use only (12 grammars are 17 MB; a
// workspace usually needs two or three). Everything that parses goes through one runtime so each
// language has exactly one Parser and one compiled copy of each query.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
import type { ContextLanguage } from './contextTypes';
import { languageSpec } from './languages/registry';

/** A grammar ready to use: its parser and compiled queries. Shared; never delete these. */
export interface LoadedLanguage {
  language: ContextLanguage;
  grammar: Language;
  parser: Parser;
  /**
   * Definitions (the package's tags.scm plus Bantam's extra-tags.scm, reference patterns disabled)
   * and imports (Bantam's imports.scm: @import.statement, @import.source, @import.name,
   * @import.relative and @import.own-package) in one query: each query run walks the whole tree,
   * and that walk, not the number of patterns, is most of its cost, so the extractor reads both in
   * a single pass.
   */
  symbols: Query;
  /** Identifier-like leaf node types this grammar has, for `node.descendantsOfType(...)`. */
  identifierTypes: string[];
}

// Leaf node types that name things, across the 12 grammars; each language keeps those it has.
const IDENTIFIER_NODE_TYPES = [
  'identifier',
  'type_identifier',
  'property_identifier',
  'shorthand_property_identifier',
  'shorthand_property_identifier_pattern',
  'private_property_identifier',
  'field_identifier',
  'namespace_identifier',
  'package_identifier',
  'constant',
  'name',
];

// Parser.init compiles the runtime WASM; it must happen once per process, whoever asks first.
let runtimeReady: Promise<void> | undefined;

function initRuntime(grammarDir: string): Promise<void> {
  if (!runtimeReady) {
    const runtimeFile = join(grammarDir, 'web-tree-sitter.wasm');
    requireFile(runtimeFile);
    runtimeReady = Parser.init({
      locateFile: (name: string) => (name.endsWith('.wasm') ? runtimeFile : join(grammarDir, name)),
    }).catch((error: unknown) => {
      runtimeReady = undefined; // let a later call retry instead of caching the failure forever
      throw error;
    });
  }
  return runtimeReady;
}

function requireFile(file: string): void {
  if (!existsSync(file)) {
    throw new Error(`Tree-sitter file ${file} is missing: run npm run build to copy the grammars and queries.`);
  }
}

export class TreeSitterRuntime {
  private readonly loading = new Map<ContextLanguage, Promise<LoadedLanguage>>();

  private constructor(readonly grammarDir: string) {}

  /** grammarDir holds web-tree-sitter.wasm, tree-sitter-<language>.wasm and queries/<language>/. */
  static async create(grammarDir: string): Promise<TreeSitterRuntime> {
    await initRuntime(grammarDir);
    return new TreeSitterRuntime(grammarDir);
  }

  /** The grammar and queries for a language, loaded on first call; concurrent callers share one load. */
  load(language: ContextLanguage): Promise<LoadedLanguage> {
    let pending = this.loading.get(language);
    if (!pending) {
      pending = this.loadUncached(language);
      // A failed load (missing file) is not cached: the user may run the build and try again.
      pending.catch(() => this.loading.delete(language));
      this.loading.set(language, pending);
    }
    return pending;
  }

  private async loadUncached(language: ContextLanguage): Promise<LoadedLanguage> {
    const wasm = join(this.grammarDir, `tree-sitter-${language}.wasm`);
    const { queries, inheritedImports = [] } = languageSpec(language).grammar;
    const queryDir = join(this.grammarDir, 'queries', queries);
    const tagsFile = join(queryDir, 'tags.scm');
    const extraTagsFile = join(queryDir, 'extra-tags.scm');
    const importsFiles = [...inheritedImports, queries].map((folder) => join(this.grammarDir, 'queries', folder, 'imports.scm'));
    for (const file of [wasm, tagsFile, ...importsFiles]) requireFile(file);

    const grammar = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(grammar);

    let tagsSource = readFileSync(tagsFile, 'utf8');
    if (existsSync(extraTagsFile)) tagsSource += '\n' + readFileSync(extraTagsFile, 'utf8');
    const importsSource = importsFiles.map((file) => readFileSync(file, 'utf8')).join('\n');
    const symbols = compile(grammar, `${tagsSource}\n${importsSource}`, `${language} tags + imports`);
    disableNonDefinitionPatterns(symbols);
    const identifierTypes = IDENTIFIER_NODE_TYPES.filter((type) => {
      const id = grammar.idForNodeType(type, true);
      return id !== null && grammar.nodeTypeIsVisible(id);
    });
    return { language, grammar, parser, symbols, identifierTypes };
  }
}

function compile(grammar: Language, source: string, what: string): Query {
  try {
    return new Query(grammar, source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`The ${what} query does not compile (${detail}): run npm run build, then report a bug.`);
  }
}

/**
 * tags.scm also matches every call and type reference; Bantam reads only definitions and imports
 * (names used come from identifierTypes), so reference patterns are switched off, not paid for.
 */
function disableNonDefinitionPatterns(query: Query): void {
  const definitionCaptures: number[] = [];
  query.captureNames.forEach((name, index) => {
    if (name.startsWith('definition.') || name.startsWith('scope.') || name === 'import.statement') {
      definitionCaptures.push(index);
    }
  });
  for (let pattern = 0; pattern < query.patternCount(); pattern++) {
    const quantifiers = query.captureQuantifiers[pattern] ?? [];
    if (!definitionCaptures.some((capture) => (quantifiers[capture] ?? 0) !== 0)) query.disablePattern(pattern);
  }
}
