// Tests for per-document trees: the edit computed from old and new text (UTF-16 indices and
// points), incremental re-parses that match a fresh parse (inserts, deletes, replacements,
// multi-line and emoji text), and the document lifecycle: reuse, rename, close, LRU eviction.
import * as assert from 'node:assert/strict';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import { DocumentTrees, textEdit } from '../../../src/core/context/documentTrees';
import { TreeSitterRuntime } from '../../../src/core/context/treeSitterRuntime';
import { grammarDir } from '../../support/repoRoot';

describe('documentTrees', () => {
  describe('textEdit', () => {
    const cases: {
      name: string;
      old: string;
      new: string;
      expected: [start: number, oldEnd: number, newEnd: number, startPoint: string, oldEndPoint: string, newEndPoint: string];
    }[] = [
      { name: 'insert in a line', old: 'ab\ncd', new: 'ab\ncXd', expected: [4, 4, 5, '1:1', '1:1', '1:2'] },
      { name: 'delete a line', old: 'a\nb\nc', new: 'a\nc', expected: [2, 4, 2, '1:0', '2:0', '1:0'] },
      { name: 'insert lines', old: 'f()', new: 'f(\n  x,\n)', expected: [2, 2, 8, '0:2', '0:2', '2:0'] },
      { name: 'replace', old: 'let x = 1;', new: 'let y = 1;', expected: [4, 5, 5, '0:4', '0:5', '0:5'] },
      { name: 'append', old: 'a', new: 'ab', expected: [1, 1, 2, '0:1', '0:1', '0:2'] },
      { name: 'no change', old: 'abc', new: 'abc', expected: [3, 3, 3, '0:3', '0:3', '0:3'] },
      { name: 'repeated text keeps the edit minimal', old: 'aaaa', new: 'aaaaa', expected: [4, 4, 5, '0:4', '0:4', '0:5'] },
      // '😀' and '😃' share their high surrogate: the edit must not start between the two halves.
      { name: 'emoji changed', old: 'x = "😀"', new: 'x = "😃"', expected: [5, 7, 7, '0:5', '0:7', '0:7'] },
      { name: 'insert after emoji', old: '😀\nab', new: '😀\naXb', expected: [4, 4, 5, '1:1', '1:1', '1:2'] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const edit = textEdit(c.old, c.new);
        const point = (p: { row: number; column: number }): string => `${p.row}:${p.column}`;
        assert.deepEqual(
          [edit.startIndex, edit.oldEndIndex, edit.newEndIndex, point(edit.startPosition), point(edit.oldEndPosition), point(edit.newEndPosition)],
          c.expected,
        );
        // The edit really describes the change: old prefix + new middle + old suffix = new text.
        assert.equal(c.old.slice(0, edit.startIndex) + c.new.slice(edit.startIndex, edit.newEndIndex) + c.old.slice(edit.oldEndIndex), c.new);
      });
    }
  });

  describe('DocumentTrees', () => {
    let runtime: TreeSitterRuntime;
    let trees: DocumentTrees;
    before(async () => {
      runtime = await TreeSitterRuntime.create(grammarDir);
    });
    beforeEach(() => {
      trees = new DocumentTrees(runtime, { maxDocuments: 3 });
    });
    afterEach(() => trees.dispose());

    async function freshTreeString(language: ContextLanguage, text: string): Promise<string> {
      const loaded = await runtime.load(language);
      const tree = loaded.parser.parse(text);
      assert.ok(tree);
      try {
        return tree.rootNode.toString();
      } finally {
        tree.delete();
      }
    }

    const editSequences: { name: string; language: ContextLanguage; versions: string[] }[] = [
      {
        name: 'typing a call character by character, then deleting it',
        language: 'typescript',
        versions: [
          'function f(a: number) {\n  return a;\n}\n',
          'function f(a: number) {\n  const t = g\n  return a;\n}\n',
          'function f(a: number) {\n  const t = g(\n  return a;\n}\n',
          'function f(a: number) {\n  const t = g(a)\n  return a;\n}\n',
          'function f(a: number) {\n  const t = g(a);\n  return t;\n}\n',
          'function f(a: number) {\n  return a;\n}\n',
        ],
      },
      {
        name: 'multi-line insert and delete in Python',
        language: 'python',
        versions: [
          'class A:\n    def run(self):\n        pass\n',
          'class A:\n    def run(self):\n        pass\n\n    def stop(self):\n        return 1\n',
          'class A:\n    def stop(self):\n        return 1\n',
          '',
          'x = 1\n',
        ],
      },
      {
        name: 'emoji and accented text before and inside the edits',
        language: 'javascript',
        versions: [
          'const s = "😀é";\nconst n = 1;\n',
          'const s = "😀é😃";\nconst n = 1;\nconst m = n + 1;\n',
          'const s = "😃";\nconst n = 1;\nconst m = n + 1;\n',
          'const ünïcode = "日本語";\nconst m = ünïcode.length;\n',
        ],
      },
      {
        name: 'Go: wrapping a body in a loop',
        language: 'go',
        versions: [
          'package a\n\nfunc F(xs []int) int {\n\ttotal := 0\n\treturn total\n}\n',
          'package a\n\nfunc F(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn total\n}\n',
        ],
      },
    ];
    for (const sequence of editSequences) {
      it(`incremental parse equals a fresh parse: ${sequence.name}`, async () => {
        for (const version of sequence.versions) {
          const parsed = await trees.parse('doc', sequence.language, version);
          assert.equal(parsed.text, version);
          assert.equal(parsed.tree.rootNode.text, version);
          assert.equal(parsed.tree.rootNode.toString(), await freshTreeString(sequence.language, version), JSON.stringify(version));
        }
      });
    }

    it('re-parses incrementally: unchanged subtrees are reused from the old tree', async () => {
      const before = 'function a() {}\nfunction b() {}\n';
      const first = await trees.parse('doc.ts', 'typescript', before);
      const oldIdOfA = first.tree.rootNode.namedChild(0)?.id;
      const oldIdOfB = first.tree.rootNode.namedChild(1)?.id;
      const second = await trees.parse('doc.ts', 'typescript', before.replace('b()', 'bb()'));
      assert.equal(second.tree.rootNode.namedChild(0)?.id, oldIdOfA);
      assert.notEqual(second.tree.rootNode.namedChild(1)?.id, oldIdOfB);
    });

    it('returns the same parse when the text has not changed', async () => {
      const first = await trees.parse('a.py', 'python', 'x = 1\n');
      assert.equal(await trees.parse('a.py', 'python', 'x = 1\n'), first);
    });

    it('parses afresh when the language of a document changes', async () => {
      await trees.parse('a', 'javascript', 'let x = 1;');
      const parsed = await trees.parse('a', 'python', 'x = 1\n');
      assert.equal(parsed.language, 'python');
      assert.equal(parsed.tree.rootNode.type, 'module');
    });

    it('evicts the least recently parsed documents beyond maxDocuments', async () => {
      await trees.parse('a.py', 'python', 'a = 1\n');
      await trees.parse('b.py', 'python', 'b = 1\n');
      await trees.parse('c.py', 'python', 'c = 1\n');
      await trees.parse('a.py', 'python', 'a = 2\n'); // a is now the most recent
      await trees.parse('d.py', 'python', 'd = 1\n');
      assert.equal(trees.size, 3);
      assert.equal(trees.get('b.py'), undefined);
      assert.deepEqual(['a.py', 'c.py', 'd.py'].map((file) => trees.get(file)?.text), ['a = 2\n', 'c = 1\n', 'd = 1\n']);
    });

    it('renames a document, keeping its tree for the next incremental parse', async () => {
      const first = await trees.parse('old.ts', 'typescript', 'const a = 1;');
      trees.rename('old.ts', 'new.ts');
      assert.equal(trees.get('old.ts'), undefined);
      const renamed = trees.get('new.ts');
      assert.equal(renamed?.file, 'new.ts');
      assert.equal(renamed?.tree, first.tree);
      const next = await trees.parse('new.ts', 'typescript', 'const a = 12;');
      assert.equal(next.tree.rootNode.toString(), await freshTreeString('typescript', 'const a = 12;'));
    });

    it('closes a document and forgets it; closing an unknown one is harmless', async () => {
      await trees.parse('a.rb', 'ruby', 'x = 1\n');
      trees.close('a.rb');
      trees.close('never-opened.rb');
      assert.equal(trees.get('a.rb'), undefined);
      assert.equal(trees.size, 0);
    });

    it('dispose forgets every document', async () => {
      await trees.parse('a.go', 'go', 'package a\n');
      await trees.parse('b.go', 'go', 'package b\n');
      trees.dispose();
      assert.equal(trees.size, 0);
    });
  });
});
