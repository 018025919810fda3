// Tests for planning whole-file changes from edits against the current files: the happy paths
// (modify in order, create, delete, CRLF and final-newline state kept) and every refusal, which must
// leave the plan empty and name the edit, the path and the reason.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { planChanges, type ChangePlan, type PlanOptions } from '../../../src/core/edits/changePlan';
import { resolveFolderPath } from '../../../src/core/edits/workspacePath';
import { WorkspaceRoots } from '../../../src/core/kernel/workspaceRoots';
import type { FileChange, FileEdit } from '../../../src/core/edits/editTypes';

const modify = (path: string, search: string, replace: string): FileEdit => ({ kind: 'modify', path, search, replace });
const create = (path: string, content: string): FileEdit => ({ kind: 'create', path, content });
const del = (path: string): FileEdit => ({ kind: 'delete', path });

interface PlanCase {
  name: string;
  files: Record<string, string>;
  edits: FileEdit[];
  options?: PlanOptions;
  changes?: FileChange[];
  /** Expected problems: [code, edit, message fragment]; the plan then has no changes. */
  problems?: Array<[code: string, edit: number | undefined, includes: string]>;
}

const cases: PlanCase[] = [
  {
    name: 'several edits to one file apply in order on the evolving text',
    files: { 'src/a.ts': 'x\ny\nx\n' },
    // `x` is ambiguous in the original file; the first edit removes one, so the second is unique.
    edits: [modify('src/a.ts', 'x\ny\n', 'y\n'), modify('src/a.ts', 'x\n', 'X\n')],
    changes: [{ path: 'src/a.ts', kind: 'modify', before: 'x\ny\nx\n', after: 'y\nX\n' }],
  },
  {
    name: 'an edit landing on text an earlier edit wrote is an overlap',
    files: { 'src/a.ts': 'one\ntwo\nthree\n' },
    edits: [modify('src/a.ts', 'one\n', 'ONE\nextra\n'), modify('src/a.ts', 'extra\nt', 'x'), modify('src/a.ts', 'three\n', '3\n')],
    problems: [['overlap', 2, 'edit 2 for src/a.ts: it overlaps']],
  },
  {
    name: 'modify, create and delete in one plan, in order of first mention',
    files: { 'src/a.ts': 'a\nb\n', 'src/old.ts': 'old\n' },
    edits: [del('src/old.ts'), modify('src/a.ts', 'a\n', 'A\n'), create('src/new/n.ts', 'n\n'), modify('./src/a.ts', 'b\n', 'B\n')],
    changes: [
      { path: 'src/old.ts', kind: 'delete', before: 'old\n', after: undefined },
      { path: 'src/a.ts', kind: 'modify', before: 'a\nb\n', after: 'A\nB\n' },
      { path: 'src/new/n.ts', kind: 'create', before: undefined, after: 'n\n' },
    ],
  },
  {
    name: 'a CRLF file without a final newline keeps both',
    files: { 'win.txt': 'a\r\nb\r\nc' },
    edits: [modify('win.txt', 'b\n', 'B1\nB2\n'), modify('win.txt', 'c\n', 'C\n')],
    changes: [{ path: 'win.txt', kind: 'modify', before: 'a\r\nb\r\nc', after: 'a\r\nB1\r\nB2\r\nC' }],
  },
  {
    name: 'backslash and ./ spellings reach the same file',
    files: { 'src/util/a.ts': 'x\n' },
    edits: [modify('.\\src\\util\\a.ts', 'x\n', 'y\n')],
    changes: [{ path: 'src/util/a.ts', kind: 'modify', before: 'x\n', after: 'y\n' }],
  },
  {
    name: 'edits that change nothing plan no change and no problem',
    files: { 'a.ts': 'x\n' },
    edits: [modify('a.ts', 'x\n', 'x\n')],
    changes: [],
  },
  {
    name: 'every failing edit is reported, not just the first, and nothing is planned',
    files: { 'src/a.ts': 'x\ny\nx\n', 'src/b.ts': 'ok\n' },
    edits: [modify('src/a.ts', 'missing\n', 'm\n'), modify('src/a.ts', 'x\n', 'X\n'), modify('src/a.ts', 'y\n', 'Y\n'), modify('src/b.ts', 'ok\n', 'fine\n')],
    problems: [
      ['not-found', 1, 'edit 1 for src/a.ts: the SEARCH text was not found in the current file'],
      ['ambiguous', 2, 'edit 2 for src/a.ts: ambiguous: matches 2 places'],
    ],
  },
  {
    name: 'create on an existing file',
    files: { 'src/x.ts': '' },
    edits: [create('src/x.ts', 'new\n')],
    problems: [['already-exists', undefined, 'create src/x.ts: the file already exists']],
  },
  {
    name: 'delete of a missing file',
    files: {},
    edits: [del('src/y.ts')],
    problems: [['no-such-file', undefined, 'delete src/y.ts: no such file']],
  },
  {
    name: 'modify of a missing file',
    files: {},
    edits: [modify('src/z.ts', 'a\n', 'b\n')],
    problems: [['no-such-file', 1, 'edit 1 for src/z.ts: no such file']],
  },
  {
    name: 'paths outside the workspace are refused before anything is read',
    files: { 'a.ts': 'a\n' },
    edits: [modify('src/../../etc/passwd', 'root\n', 'x\n'), create('/tmp/evil.sh', 'x\n'), modify('a.ts', 'a\n', 'b\n')],
    problems: [
      ['refused-path', undefined, 'src/../../etc/passwd: outside the workspace'],
      ['refused-path', undefined, '/tmp/evil.sh: outside the workspace'],
    ],
  },
  {
    name: 'allowPath refusals are reported once per file with its reason',
    files: { '.env': 'KEY=1\n', 'a.ts': 'a\n' },
    edits: [modify('.env', 'KEY=1\n', 'KEY=2\n'), modify('./.env', 'KEY=2\n', 'KEY=3\n'), modify('a.ts', 'a\n', 'b\n')],
    options: { allowPath: (p) => (p === '.env' ? 'secret-looking files are never edited' : undefined) },
    problems: [['refused-path', undefined, '.env: secret-looking files are never edited.']],
  },
  {
    name: 'create and modify of one file under two spellings conflict',
    files: {},
    edits: [create('./src/n.ts', 'a\n'), modify('src/n.ts', 'a\n', 'b\n')],
    problems: [['conflict', undefined, 'src/n.ts: it is created or deleted and also edited']],
  },
];

function reader(files: Record<string, string>, seen: string[] = []): (path: string) => Promise<string | undefined> {
  return async (path) => {
    seen.push(path);
    return Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined;
  };
}

describe('planChanges', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const plan: ChangePlan = await planChanges(c.edits, reader(c.files), c.options);
      if (c.problems) {
        assert.deepEqual(plan.changes, []);
        assert.deepEqual(
          plan.problems.map((p) => [p.code, p.edit]),
          c.problems.map(([code, edit]) => [code, edit]),
          JSON.stringify(plan.problems),
        );
        c.problems.forEach(([, , includes], i) => assert.ok(plan.problems[i]!.message.includes(includes), plan.problems[i]!.message));
      } else {
        assert.deepEqual(plan.problems, []);
        assert.deepEqual(plan.changes, c.changes);
      }
    });
  }

  it('never reads a path outside the workspace or one refused by policy', async () => {
    const seen: string[] = [];
    await planChanges([modify('../x.ts', 'a\n', 'b\n'), modify('secret.pem', 'a\n', 'b\n'), modify('ok.ts', 'a\n', 'b\n')], reader({}, seen), {
      allowPath: (p) => (p.endsWith('.pem') ? 'refused' : undefined),
    });
    assert.deepEqual(seen, ['ok.ts']);
  });

  it('in a multi-root workspace, keys each edit by its folder-prefixed path and refuses one naming no folder', async () => {
    const roots = new WorkspaceRoots([
      { name: 'app', root: path.resolve('/ws/app') },
      { name: 'lib', root: path.resolve('/ws/lib') },
    ]);
    const files = { 'app/src/a.ts': 'a\n', 'lib/src/m.ts': 'm\n' };
    const resolvePath = (p: string) => resolveFolderPath(p, roots, async (abs) => Object.keys(files).some((f) => path.resolve('/ws', f) === abs));
    const plan = await planChanges(
      [modify('app/src/a.ts', 'a\n', 'A\n'), modify('src/m.ts', 'm\n', 'M\n')],
      reader(files),
      { resolvePath },
    );
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.changes.map((c) => [c.path, c.after]), [['app/src/a.ts', 'A\n'], ['lib/src/m.ts', 'M\n']]);
    const refused = await planChanges([modify('app/src/a.ts', 'a\n', 'A\n'), create('docs/new.md', 'x\n')], reader(files), { resolvePath });
    assert.deepEqual(refused.changes, []);
    assert.match(refused.problems[0]!.message, /^docs\/new\.md: names no workspace folder/);
  });

  it('reports a file that cannot be read', async () => {
    const plan = await planChanges([modify('a.ts', 'a\n', 'b\n')], () => Promise.reject(new Error('EACCES: permission denied')));
    assert.deepEqual(plan.changes, []);
    assert.equal(plan.problems[0]!.message, 'a.ts: could not be read (EACCES: permission denied).');
  });
});
