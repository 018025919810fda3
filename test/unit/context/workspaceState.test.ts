// Tests for the state the context workspace's parts share: a newer event supersedes an older one's
// generation, a settled generation leaves no entry behind, extraction goes through the cache and is
// counted once, and a rename carries the disk stat along with the index entry.
import * as assert from 'node:assert/strict';
import type { ContextLanguage, FileSymbols } from '../../../src/core/context/contextTypes';
import { normalizeRel, WorkspaceState } from '../../../src/core/context/workspaceState';
import { grammarDir } from '../../support/repoRoot';

const symbols = (language: ContextLanguage): FileSymbols => ({
  language,
  definitions: [],
  imports: [],
  identifiers: [],
  hasErrors: false,
});

function state(extract = async (language: ContextLanguage) => symbols(language)): WorkspaceState {
  return new WorkspaceState({
    root: '/tmp/bantam-state',
    grammarDir,
    storageDir: undefined,
    excludeGlobs: [],
    maxFileBytes: 1_000_000,
    log: () => {},
    clock: () => 0,
    extract,
  });
}

describe('WorkspaceState', () => {
  it('applies only the newest generation of a file, and not after dispose', () => {
    const s = state();
    const older = s.bump('a.ts');
    const newer = s.bump('a.ts');
    assert.equal(s.current('a.ts', older), false);
    assert.equal(s.current('a.ts', newer), true);
    s.settle('a.ts', older); // an older result settling must not forget the newer event
    assert.equal(s.current('a.ts', newer), true);
    s.dispose();
    assert.equal(s.current('a.ts', newer), false);
  });

  it('extracts a content hash once, then answers from the cache', async () => {
    let extractions = 0;
    const s = state(async (language) => {
      extractions++;
      return symbols(language);
    });
    assert.equal((await s.symbolsFor('h1', 'typescript', 'x')).parsed, true);
    assert.equal((await s.symbolsFor('h1', 'typescript', 'x')).parsed, false);
    assert.equal((await s.symbolsFor('h1', 'python', 'x')).parsed, true, 'same hash, other language: parsed again');
    assert.equal(extractions, 2);
    assert.equal(s.counters.parsed, 2);
  });

  it('moves the disk stat with a renamed index entry, and refuses to move what is not indexed', () => {
    const s = state();
    s.index.set('a.ts', 'h', symbols('typescript'));
    s.fileStats.set('a.ts', { size: 1, mtimeMs: 2, readAt: 3 });
    assert.equal(s.rename('a.ts', 'b.ts'), true);
    assert.deepEqual(s.fileStats.get('b.ts'), { size: 1, mtimeMs: 2, readAt: 3 });
    assert.equal(s.fileStats.has('a.ts'), false);
    assert.equal(s.rename('missing.ts', 'c.ts'), false);
  });

  it('normalizes paths to workspace-relative ones and refuses those that leave', () => {
    assert.equal(normalizeRel('./src\\a.ts'), 'src/a.ts');
    assert.equal(normalizeRel('src/dir/'), 'src/dir');
    for (const outside of ['', '/etc/passwd', 'C:/x', '../x', 'a/../../x']) assert.equal(normalizeRel(outside), undefined, outside);
  });
});
