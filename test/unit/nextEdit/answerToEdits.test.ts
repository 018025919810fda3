// Tests for turning a next-edit model's rewrite of the window into document edits: the edits are
// small (one per changed identifier), land at the right document offsets (CRLF and unicode too), and
// applying them gives the document the model meant; and every answer that must show nothing does.
// Documents are written with a cursor marker █ and the window as a line range.
import * as assert from 'node:assert/strict';
import { answerToEdits, type AnswerResult, type NextEditAnswer, type NextEditRefusal } from '../../../src/core/nextEdit/answerToEdits';
import type { EditHunk, NextEditFormatName, NextEditPrompt, SuggestedEdit } from '../../../src/core/nextEdit/nextEditTypes';
import { applyReplacements } from '../../../src/core/edits/textReplacements';

const CURSOR = '█';
const STOPS: Record<NextEditFormatName, string[]> = {
  sweep: ['<|file_sep|>', '<|endoftext|>'],
  zeta: ['<|endoftext|>'],
};

interface Setup {
  documentText: string;
  prompt: NextEditPrompt;
}

/** The document without its cursor marker, and a prompt whose window is lines [startLine, endLine). */
function setup(marked: string, startLine: number, endLine: number, format: NextEditFormatName = 'sweep'): Setup {
  const cursor = marked.indexOf(CURSOR);
  const documentText = marked.replace(CURSOR, '');
  const lines = documentText.split('\n');
  let windowStart = 0;
  for (let i = 0; i < startLine; i++) windowStart += lines[i]!.length + 1;
  const text = lines.slice(startLine, endLine).map((l) => l.replace(/\r$/, '')).join('\n');
  const crlfBefore = documentText.slice(windowStart, cursor).split('\r\n').length - 1;
  return {
    documentText,
    prompt: {
      format,
      text: '(prompt)',
      stablePrefixChars: 0,
      stop: STOPS[format],
      window: { startLine, endLine, text, cursorOffset: cursor - windowStart - crlfBefore },
    },
  };
}

const eos = (text: string): NextEditAnswer => ({ text, stoppedBy: 'eos' });

function edits(result: AnswerResult): SuggestedEdit[] {
  if ('refused' in result) assert.fail(`refused (${result.refused}): ${result.detail}`);
  return result.edits;
}

function refusal(result: AnswerResult): NextEditRefusal | undefined {
  return 'refused' in result ? result.refused : undefined;
}

describe('answerToEdits: edits', () => {
  const userWithEmail = [
    'class User {',
    '  name: string;',
    '  email: string;',
    '  constructor(name: string, email: string) {',
    '    this.name = name;',
    '    this.email = email;',
    '  }',
    '}',
  ].join('\n');
  const cases: Array<{
    name: string;
    document: string;
    window: [number, number];
    format?: NextEditFormatName;
    answer: NextEditAnswer;
    /** Each edit as old→new text of the document. */
    expectedEdits: string[];
    expectedDocument: string;
  }> = [
    {
      name: 'a renamed parameter: one small edit at each use',
      document: 'function area(size█, h) {\n  const a = width * h;\n  return width > 0 ? a : 0;\n}\n',
      window: [0, 4],
      answer: eos('function area(size, h) {\n  const a = size * h;\n  return size > 0 ? a : 0;\n}\n<|file_sep|>'),
      expectedEdits: ['"width"→"size"', '"width"→"size"'],
      expectedDocument: 'function area(size, h) {\n  const a = size * h;\n  return size > 0 ? a : 0;\n}\n',
    },
    {
      name: 'an added field: the constructor parameter and its initialisation follow',
      document: [
        'class User {',
        '  name: string;',
        '  email: string;█',
        '  constructor(name: string) {',
        '    this.name = name;',
        '  }',
        '}',
      ].join('\n'),
      window: [0, 7],
      answer: eos(`${userWithEmail}\n`),
      expectedEdits: ['""→", email: string"', '""→"    this.email = email;\\n"'],
      expectedDocument: userWithEmail,
    },
    {
      name: 'a deleted line, inside a window in the middle of the document',
      document: 'a();\nb();█\nconsole.log("debug");\nc();\nd();\n',
      window: [1, 4],
      answer: eos('b();\nc();'),
      expectedEdits: ['"console.log(\\"debug\\");\\n"→""'],
      expectedDocument: 'a();\nb();\nc();\nd();\n',
    },
    {
      name: 'a CRLF document: offsets skip the \\r, new lines are written with \\r\\n',
      document: 'class P {\r\n  x = 0;█\r\n  y = 0;\r\n}\r\n',
      window: [0, 4],
      answer: eos('class P {\r\n  x = 0;\r\n  y = 0;\r\n  z = 0;\r\n}\r\n'),
      expectedEdits: ['""→"  z = 0;\\r\\n"'],
      expectedDocument: 'class P {\r\n  x = 0;\r\n  y = 0;\r\n  z = 0;\r\n}\r\n',
    },
    {
      name: 'a CRLF document: a rename on a later line maps past each \\r',
      document: 'let größe█ = 1;\r\nf(grosse);\r\n',
      window: [0, 2],
      answer: eos('let größe = 1;\nf(größe);\n'),
      expectedEdits: ['"grosse"→"größe"'],
      expectedDocument: 'let größe = 1;\r\nf(größe);\r\n',
    },
    {
      name: 'unicode: a rename of a non-Latin identifier and an emoji string',
      document: 'const 名前█ = "😀";\nprint(名);\n',
      window: [0, 2],
      answer: eos('const 名前 = "😀";\nprint(名前);'),
      expectedEdits: ['""→"前"'],
      expectedDocument: 'const 名前 = "😀";\nprint(名前);\n',
    },
    {
      name: 'an insertion at the cursor is an insertion at the cursor offset (ghost text)',
      document: 'const total = items.█\nreturn total;\n',
      window: [0, 2],
      answer: eos('const total = items.reduce((a, b) => a + b, 0);\nreturn total;\n'),
      expectedEdits: ['""→"reduce((a, b) => a + b, 0);"'],
      expectedDocument: 'const total = items.reduce((a, b) => a + b, 0);\nreturn total;\n',
    },
    {
      name: 'a new line after the cursor line is inserted at the cursor',
      document: 'if (x) {\n  a();█\n}\n',
      window: [0, 3],
      answer: eos('if (x) {\n  a();\n  b();\n}'),
      expectedEdits: ['""→"\\n  b();"'],
      expectedDocument: 'if (x) {\n  a();\n  b();\n}\n',
    },
    {
      name: 'zeta: the region markers and the cursor marker are not part of the rewrite',
      document: 'let n█ = 1;\nuse(m);\n',
      window: [0, 2],
      format: 'zeta',
      answer: eos('<|editable_region_start|>\nlet n<|user_cursor_is_here|> = 1;\nuse(n);\n<|editable_region_end|>\n```'),
      expectedEdits: ['"m"→"n"'],
      expectedDocument: 'let n = 1;\nuse(n);\n',
    },
    {
      name: 'a stop string ends the answer even when the backend stopped on its token limit',
      document: 'x(1█);\ny(1);\n',
      window: [0, 2],
      answer: { text: 'x(1);\ny(1, 2);\n<|file_sep|>original/junk', stoppedBy: 'maxTokens' },
      expectedEdits: ['""→", 2"'],
      expectedDocument: 'x(1);\ny(1, 2);\n',
    },
    {
      name: 'dropping the window\'s last line is an edit the allowance permits',
      document: 'a();█\nb();\nc();\n',
      window: [0, 2],
      answer: eos('a();\n'),
      expectedEdits: ['"\\nb();"→""'],
      expectedDocument: 'a();\nc();\n',
    },
    {
      name: 'a control marker that the window holds itself is code, not markup',
      document: 'const SEP = "<|file_sep|>";█\nsplit(SEP)\n',
      window: [0, 2],
      format: 'zeta',
      answer: eos('const SEP = "<|file_sep|>";\nsplit(SEP);'),
      expectedEdits: ['""→";"'],
      expectedDocument: 'const SEP = "<|file_sep|>";\nsplit(SEP);\n',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { documentText, prompt } = setup(c.document, c.window[0], c.window[1], c.format);
      const result = edits(answerToEdits(c.answer, { prompt, documentText }));
      assert.deepEqual(
        result.map((e) => `${JSON.stringify(documentText.slice(e.startOffset, e.endOffset))}→${JSON.stringify(e.newText)}`),
        c.expectedEdits,
      );
      assert.equal(applyReplacements(documentText, result), c.expectedDocument);
    });
  }

  it('a window whose text kept the document\'s CRLF reads the same, cursor included', () => {
    const { documentText, prompt } = setup('if (x) {\r\n  a();█\r\n}\r\n', 0, 3);
    const crlfPrompt = { ...prompt, window: { ...prompt.window, text: 'if (x) {\r\n  a();\r\n}', cursorOffset: prompt.window.cursorOffset + 1 } };
    const result = edits(answerToEdits(eos('if (x) {\n  a();\n  b();\n}'), { prompt: crlfPrompt, documentText }));
    assert.deepEqual(result, [{ startOffset: 'if (x) {\r\n  a();'.length, endOffset: 'if (x) {\r\n  a();'.length, newText: '\r\n  b();' }]);
  });

  it('returns the rewritten window for the prefetch of the state after accepting', () => {
    const { documentText, prompt } = setup('a(█);\n', 0, 1);
    const result = answerToEdits(eos('a(1);\n'), { prompt, documentText });
    assert.ok(!('refused' in result));
    assert.equal(result.rewrittenWindow, 'a(1);');
  });

  it("reads Sweep's answer after the line break that ends the prompt's updated/ header", () => {
    const { documentText, prompt } = setup('function area(w: number) {\n  return w█ * 2;\n}', 0, 3);
    const rewrite = 'function area(width: number) {\n  return width * 2;\n}';
    const withBreak = edits(answerToEdits(eos(`\n${rewrite}<|file_sep|>`), { prompt, documentText }));
    const bare = edits(answerToEdits(eos(`${rewrite}<|file_sep|>`), { prompt, documentText }));
    assert.deepEqual(withBreak, bare);
    assert.equal(applyReplacements(documentText, withBreak), rewrite);
  });
});

describe('answerToEdits: refusals', () => {
  const document = 'function f(a) {\n  one(a);█\n  two(a);\n  three(a);\n  four(a);\n}\nafter();\n';
  const window: [number, number] = [1, 5];
  const cases: Array<{ name: string; answer: NextEditAnswer; format?: NextEditFormatName; reason: NextEditRefusal; document?: string }> = [
    {
      name: 'cut off by the token limit mid-line',
      answer: { text: '  one(a);\n  two(a, b);\n  thr', stoppedBy: 'maxTokens' },
      reason: 'cut-off',
    },
    { name: 'cut off by the timeout', answer: { text: '  one(a);\n', stoppedBy: 'timeout' }, reason: 'cut-off' },
    { name: 'aborted', answer: { text: '  one(a);\n', stoppedBy: 'abort' }, reason: 'cut-off' },
    { name: 'an empty answer', answer: eos(''), reason: 'empty' },
    { name: 'only markers and blank lines', answer: eos('<|editable_region_start|>\n\n<|editable_region_end|>'), format: 'zeta', reason: 'empty' },
    { name: 'a FIM token the format never answers with', answer: eos('  one(a);\n<|fim_middle|>  two(a);\n  three(a);\n  four(a);'), reason: 'markup' },
    { name: 'zeta: text before the region', answer: eos('Sure! <|editable_region_start|>\n  one(a);\n'), format: 'zeta', reason: 'markup' },
    { name: 'zeta: a second region start', answer: eos('<|editable_region_start|>\n  one(a);\n<|editable_region_start|>\n'), format: 'zeta', reason: 'markup' },
    {
      name: 'the document no longer has the window at its lines',
      answer: eos('  one(b);\n  two(a);\n  three(a);\n  four(a);'),
      document: 'function f(a) {\n  one(a);  // typed since\n  two(a);\n  three(a);\n  four(a);\n}\n',
      reason: 'stale',
    },
    { name: 'the same window', answer: eos('  one(a);\n  two(a);\n  three(a);\n  four(a);\n'), reason: 'no-change' },
    { name: 'only trailing whitespace differs', answer: eos('  one(a);  \n  two(a);\n  three(a);\t\n  four(a);'), reason: 'no-change' },
    {
      name: 'starts with the line above the window',
      answer: eos('function f(a) {\n  one(b);\n  two(a);\n  three(a);\n  four(a);'),
      reason: 'outside-window',
    },
    {
      name: 'ends with the lines below the window',
      answer: eos('  one(a);\n  two(b);\n  three(a);\n  four(a);\n}\nafter();'),
      reason: 'outside-window',
    },
    {
      name: 'ends with the window, then a changed copy of the lines below',
      answer: eos('  one(a);\n  two(a);\n  three(a);\n  four(a);\n}\nafter(1);'),
      reason: 'outside-window',
    },
    {
      name: 'starts with a changed copy of the line above, then the window',
      answer: eos('function f(a, b) {\n  one(a);\n  two(a);\n  three(a);\n  four(a);'),
      reason: 'outside-window',
    },
    { name: 'drops the window\'s last two lines', answer: eos('  one(b);\n  two(a);'), reason: 'outside-window' },
    { name: 'drops the window\'s first two lines', answer: eos('  three(a);\n  four(b);'), reason: 'outside-window' },
    {
      name: 'repeats the window over and over',
      answer: eos(Array.from({ length: 3 }, () => '  one(a);\n  two(a);\n  three(a);\n  four(a);').join('\n')),
      reason: 'too-long',
    },
  ];
  for (const c of cases) {
    it(`${c.reason}: ${c.name}`, () => {
      const built = setup(document, window[0], window[1], c.format);
      const documentText = c.document ?? built.documentText;
      assert.equal(refusal(answerToEdits(c.answer, { prompt: built.prompt, documentText })), c.reason);
    });
  }

  describe('an edit the user just undid', () => {
    const { documentText, prompt } = setup(document, window[0], window[1]);
    // The user had renamed a to b in two(a), then undid it: the undo turned `two(b)` back into `two(a)`.
    const undo: EditHunk = { path: 'src/f.ts', startLine: 2, original: '  two(b);', updated: '  two(a);', at: 1000 };
    const redo = eos('  one(a);\n  two(b);\n  three(a);\n  four(a);');

    it('is refused when the rewrite only redoes it', () => {
      assert.equal(refusal(answerToEdits(redo, { prompt, documentText, path: 'src/f.ts', recentUndos: [undo] })), 'repeats-undo');
    });
    it('an undone insertion of a line (updated is no lines) is refused when redone', () => {
      const insertion: EditHunk = { path: 'src/f.ts', startLine: 3, original: '  log();', updated: '', at: 1000 };
      const answer = eos('  one(a);\n  two(a);\n  log();\n  three(a);\n  four(a);');
      assert.equal(refusal(answerToEdits(answer, { prompt, documentText, path: 'src/f.ts', recentUndos: [insertion] })), 'repeats-undo');
    });
    it('is shown when the rewrite does more than redo it', () => {
      const more = eos('  one(b);\n  two(b);\n  three(a);\n  four(a);');
      assert.equal(refusal(answerToEdits(more, { prompt, documentText, path: 'src/f.ts', recentUndos: [undo] })), undefined);
    });
    it('an undo in another document does not count', () => {
      assert.equal(refusal(answerToEdits(redo, { prompt, documentText, path: 'src/g.ts', recentUndos: [undo] })), undefined);
    });
    it('without undos the same rewrite is shown', () => {
      assert.equal(refusal(answerToEdits(redo, { prompt, documentText, path: 'src/f.ts' })), undefined);
    });
  });
});
