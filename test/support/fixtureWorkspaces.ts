// Test helper: the fixture workspaces' source files, and one indexed ContextWorkspace per language
// shared by a suite's tests (indexing once per language keeps the suites quick).
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ContextLanguage } from '../../src/core/context/contextTypes';
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
