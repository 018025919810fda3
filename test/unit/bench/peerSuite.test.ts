// The quality benchmark's reader for a peer's post-processing suite, on a small folder written here
// in the same format (markers ├ ┤ ╣ in TOML golden files, a cases.json), and its runner.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPeerSuite } from '../../../bench/peerSuite';
import { runPeerCases } from '../../../bench/peerSuiteRunner';

describe('peer suite (bench:quality)', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantam-peer-'));
    mkdirSync(join(dir, 'golden', 'ranges'), { recursive: true });
    writeFileSync(
      join(dir, 'golden', 'ranges', 'closer.toml'),
      [
        "description = 'a closer written again'",
        '[context]',
        "filepath = 'm.ts'",
        "language = 'typescript'",
        "text = '''",
        'const m = Math.max(├a, b);┤);',
        "'''",
        '[expected]',
        "text = '''",
        'const m = Math.max(├a, b);┤);╣',
        "'''",
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cases.json'),
      JSON.stringify({
        cases: [
          { id: 'dup/1', language: null, document: 'let a = 1;\n', cursor: 10, completion: '', expected: 'discard', expectedDocument: 'let a = 1;\n' },
          { id: 'plain/1', language: 'python', document: 'x = \n', cursor: 4, completion: '42', expected: 'unchanged', expectedDocument: 'x = 42\n', editorIndentation: '    ' },
        ],
      }),
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads golden files and cases into documents, cursors, outputs and expected documents', () => {
    const cases = loadPeerSuite(dir);
    assert.deepEqual(cases.map((c) => c.id), ['golden/ranges/closer', 'dup/1', 'plain/1']);
    const golden = cases[0]!;
    assert.equal(golden.document, 'const m = Math.max();\n');
    assert.equal(golden.offset, 'const m = Math.max('.length);
    assert.equal(golden.completion, 'a, b);');
    assert.equal(golden.expectedDocument, 'const m = Math.max(a, b);\n');
    assert.equal(cases[1]!.languageId, 'javascript');
    assert.deepEqual(cases[2]!.indentation, { useTabs: false, size: 4 });
  });

  it('runs each case through the engine and compares the document after accepting', async () => {
    const outcomes = await runPeerCases(loadPeerSuite(dir));
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.typing]),
      [
        ['golden/ranges/closer', true],
        ['dup/1', true],
        ['plain/1', true],
      ],
    );
  });

  it('says what is missing from a folder that is not a suite', () => {
    assert.throws(() => loadPeerSuite(join(dir, 'nope')), /does not exist/);
    const empty = mkdtempSync(join(tmpdir(), 'bantam-peer-empty-'));
    try {
      assert.throws(() => loadPeerSuite(empty), /no cases found/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
