// Test helper: the fixture workspaces' source files, and one indexed ContextWorkspace per language
// shared by a suite's tests (indexing once per language keeps the suites quick).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ContextLanguage, ContextResult, RetrievedSnippet } from '../../src/core/context/contextTypes';
import { ContextWorkspace } from '../../src/core/context/contextWorkspace';
import { languageForPath } from '../../src/core/context/languages/registry';
import { contextFixture, grammarDir } from './repoRoot';

/** Every source file of a fixture (not .env, not ignored/), relative, forward slashes. */
export function fixtureSourceFiles(language: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(contextFixture(language), dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'ignored') out.push(...fixtureSourceFiles(language, rel));
    } else if (languageForPath(rel)) out.push(rel);
  }
  return out;
}

/** Indexed fixture workspaces, created on first use; dispose() when the suite ends. */
export class FixtureWorkspaces {
  private readonly workspaces = new Map<ContextLanguage, ContextWorkspace>();

  async indexed(language: ContextLanguage): Promise<ContextWorkspace> {
    let ws = this.workspaces.get(language);
    if (!ws) {
      ws = new ContextWorkspace({ root: contextFixture(language), grammarDir, documentExtractDelayMs: 0 });
      const progress = await ws.indexAll(() => undefined);
      if (progress.phase !== 'done') throw new Error(`indexing the ${language} fixture ended ${progress.phase}`);
      this.workspaces.set(language, ws);
    }
    return ws;
  }

  dispose(): void {
    for (const ws of this.workspaces.values()) ws.dispose();
    this.workspaces.clear();
  }
}

/** A file with extra documents opened beside the fixture; the cursor is where `text` has `|`. */
export interface CursorCase {
  language: ContextLanguage;
  files: Record<string, string>;
  file: string;
  text: string;
}

/**
 * Opens the case's documents in its language's workspace, retrieves at its cursor with `budgetTokens`,
 * and closes them again; `check` sees the result and the lines (trimmed) of the snippets it keeps.
 */
export async function retrieveAtCursor(
  workspaces: FixtureWorkspaces,
  c: CursorCase,
  budgetTokens: number,
  keep: (snippet: RetrievedSnippet) => boolean = () => true,
): Promise<{ result: ContextResult; shown: Set<string> }> {
  const ws = await workspaces.indexed(c.language);
  const offset = c.text.indexOf('|');
  const text = c.text.slice(0, offset) + c.text.slice(offset + 1);
  for (const [file, content] of Object.entries(c.files)) await ws.documentOpened(file, '', content);
  await ws.documentOpened(c.file, '', text);
  await ws.flushDocuments();
  try {
    const visibleLines = { startLine: Math.max(1, lineOf(text, offset) - 20), endLine: lineOf(text, offset) + 8 };
    const result = await ws.retrieve({ file: c.file, languageId: '', text, offset, budgetTokens, visibleLines });
    const shown = new Set(result.snippets.filter(keep).flatMap((s) => s.text.split('\n').map((l) => l.trim())));
    return { result, shown };
  } finally {
    for (const file of [...Object.keys(c.files), c.file]) await ws.documentClosed(file);
  }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

export function describeSnippets(result: ContextResult): string {
  return JSON.stringify(result.snippets.map((s) => `${s.file}:${s.startLine}-${s.endLine} ${s.reason}`), null, 1);
}
