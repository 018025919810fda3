// Test helper: where the repository is, for files the build does not transpile (grammars/, the
// fixture workspaces). Tests run from a transpiled copy (out/ or a private BANTAM_OUT_DIR such as
// /tmp/out-x/test/unit/context/), so walk up from here to the first package.json, else use cwd.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ContextLanguage } from '../../src/core/context/contextTypes';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const repoRoot = findRepoRoot(__dirname);

/** web-tree-sitter.wasm, the grammars and grammars/queries/<language>/ (after `npm run build`). */
export const grammarDir = join(repoRoot, 'grammars');

/** The fixture workspaces, one folder per ContextLanguage (see its README.md). */
export const contextFixturesDir = join(repoRoot, 'test', 'fixtures', 'context');

/** A path inside one language's fixture workspace. */
export function contextFixture(language: string, ...relativePath: string[]): string {
  return join(contextFixturesDir, language, ...relativePath);
}

/** The marker comment a fixture puts on its call-site line, where retrieval tests place the cursor. */
export const FIXTURE_CURSOR_MARKER = 'BANTAM_CURSOR';

/** The function every fixture defines in one file and calls (at the cursor marker) from another. */
export const FIXTURE_TOTAL_NAME: Record<ContextLanguage, string> = {
  typescript: 'computeTotal',
  tsx: 'computeTotal',
  javascript: 'computeTotal',
  python: 'compute_total',
  go: 'ComputeTotal',
  rust: 'compute_total',
  java: 'computeTotal',
  c: 'compute_total',
  cpp: 'compute_total',
  csharp: 'ComputeTotal',
  ruby: 'compute_total',
  php: 'computeTotal',
};
