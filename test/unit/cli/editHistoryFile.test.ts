// The history file of `bantam next-edit`: checked entry by entry, replayed through EditHistory with
// the editor's coalescing (quick typing by default, "at" to space edits out), undos, and viewed
// ranges given 1-based as editors show them.
import * as assert from 'node:assert/strict';
import { HistoryFileError, parseHistoryFile, replayHistory } from '../../../src/cli/editHistoryFile';

const ROOT = '/work/ws';
const A0 = 'const a = 1;\nconst b = 2;\n';
const A1 = 'const a = 10;\nconst b = 2;\n';
const A2 = 'const a = 10;\nconst b = 20;\n';

const parse = (content: unknown) => parseHistoryFile(JSON.stringify(content), ROOT, 'h.json');

describe('the next-edit history file', () => {
  it('replays edits without "at" as quick typing: nearby edits of one file join one hunk', () => {
    const { history, now } = replayHistory(parse({ edits: [{ path: 'a.ts', before: A0, after: A1 }, { path: './a.ts', before: A1, after: A2 }] }), () => true);
    assert.deepEqual(history.hunks().map((h) => [h.path, h.original, h.updated]), [['a.ts', 'const a = 1;\nconst b = 2;', 'const a = 10;\nconst b = 20;']]);
    assert.equal(now, 200);
  });

  it('keeps edits apart that "at" puts further apart than the editor coalesces', () => {
    const { history } = replayHistory(parse({ edits: [{ path: 'a.ts', before: A0, after: A1, at: 0 }, { path: 'a.ts', before: A1, after: A2, at: 10_000 }] }), () => true);
    assert.deepEqual(history.hunks().map((h) => h.updated), ['const a = 10;', 'const b = 20;']);
  });

  it('an undo takes the edit out of the history and counts it as just undone', () => {
    const file = parse({ edits: [{ path: 'a.ts', before: A0, after: A1, at: 0 }, { path: 'a.ts', before: A1, after: A0, at: 5000, reason: 'undo' }] });
    const { history, now } = replayHistory(file, () => true);
    assert.deepEqual(history.hunks(), []);
    assert.deepEqual(history.recentlyUndone('a.ts', now).map((h) => [h.original, h.updated]), [['const a = 1;', 'const a = 10;']]);
  });

  it('reads viewed lines 1-based and inclusive, and records nothing the predicate bars', () => {
    const file = parse({
      edits: [{ path: 'secret.ts', before: '', after: 'x' }],
      viewed: [{ path: 'src/b.ts', startLine: 3, endLine: 4, text: 'three\nfour' }],
    });
    assert.deepEqual(file.viewed, [{ path: 'src/b.ts', startLine: 2, endLine: 4, text: 'three\nfour', at: 0 }]);
    const { history } = replayHistory(file, (path) => path !== 'secret.ts');
    assert.deepEqual(history.hunks(), []);
    assert.equal(history.viewed().length, 1);
  });

  for (const [what, content, message] of [
    ['an entry that is not an object', { edits: [3] }, /edits\[0\] must be an object/],
    ['a negative time', { edits: [{ path: 'a.ts', before: '', after: 'x', at: -1 }] }, /edits\[0\]\.at must be a time in ms/],
    ['an unknown reason', { edits: [{ path: 'a.ts', before: '', after: 'x', reason: 'paste' }] }, /edits\[0\]\.reason must be "undo" or "redo"/],
    ['viewed lines backwards', { edits: [], viewed: [{ path: 'a.ts', startLine: 5, endLine: 2, text: '' }] }, /viewed\[0\] needs whole-number lines, 1-based/],
    ['an absolute path elsewhere', { edits: [{ path: '/etc/passwd', before: '', after: 'x' }] }, /edits\[0\]\.path \/etc\/passwd is outside the workspace/],
  ] as Array<[string, unknown, RegExp]>) {
    it(`refuses ${what}, naming the file and the entry`, () => {
      assert.throws(() => parse(content), (e: Error) => e instanceof HistoryFileError && /^--history h\.json: /.test(e.message) && message.test(e.message));
    });
  }
});
