// Tests for the prompt layout: exact renderings per family, and the properties that keep the KV
// cache valid while the user types (identical bytes up to the cursor, stable context blocks, a
// prefix window start that jumps rarely).
import * as assert from 'node:assert/strict';
import { buildBaselinePsmPrompt, buildPrompt } from '../../../src/core/completion/promptBuilder';
import { FIM_FAMILIES } from '../../../src/core/models/fimFamilies';
import { tokenWeight } from '../../../src/core/kernel/tokenEstimate';
import type {
  BuiltPrompt,
  CompletionRequest,
  ContextSnippet,
  FimFamily,
  PromptBudgets,
} from '../../../src/core/kernel/completionTypes';
import { requestAt } from '../../support/cursor';
import { sampleCode, typeAt } from './promptFixtures';

const budgets: PromptBudgets = { prefixTokens: 1000, suffixTokens: 24, farSuffixTokens: 256, contextTokens: 256 };

function snippet(file: string, text: string): ContextSnippet {
  return { file, startLine: 1, endLine: text.split('\n').length, text, reason: 'test' };
}

const tsDoc = "import { b } from './b';\nfunction f(x: number) {\n  return g(█);\n}\nexport default f;\nexport const version = 2;";
const tsSnippets = [snippet('src/b.ts', 'export function b() {}')];
const tsPrefix = "import { b } from './b';\nfunction f(x: number) {\n  return g(";
/** Rest of the line through the next line of real code (the closer-only `}` line does not count). */
const tsNear = ');\n}\nexport default f;\n';

interface RenderCase {
  name: string;
  family: FimFamily;
  request: CompletionRequest;
  snippets: ContextSnippet[];
  expected: string;
}

const renderCases: RenderCase[] = [
  {
    name: 'qwen: repo header, snippet block, far-suffix block, current file, small FIM suffix',
    family: 'qwen',
    request: requestAt(tsDoc),
    snippets: tsSnippets,
    expected:
      '<|repo_name|>workspace\n' +
      '<|file_sep|>src/b.ts\nexport function b() {}\n' +
      '<|file_sep|>src/example.ts\nexport default f;\nexport const version = 2;\n' +
      `<|file_sep|>src/example.ts\n<|fim_prefix|>${tsPrefix}<|fim_suffix|>${tsNear}<|fim_middle|>`,
  },
  {
    name: 'qwen: no snippets and nothing beyond the near suffix',
    family: 'qwen',
    request: requestAt('let a = █;\n'),
    snippets: [],
    expected: '<|repo_name|>workspace\n<|file_sep|>src/example.ts\n<|fim_prefix|>let a = <|fim_suffix|>;\n<|fim_middle|>',
  },
  {
    name: 'starcoder2: no newline after the repo name, current path inside the prefix slot',
    family: 'starcoder2',
    request: requestAt(tsDoc),
    snippets: tsSnippets,
    expected:
      '<repo_name>workspace' +
      '<file_sep>src/b.ts\nexport function b() {}\n' +
      '<file_sep>src/example.ts\nexport default f;\nexport const version = 2;\n' +
      `<file_sep><fim_prefix>src/example.ts\n${tsPrefix}<fim_suffix>${tsNear}<fim_middle>`,
  },
  {
    name: 'deepseek: context and far suffix as // comments at the start of the prefix slot',
    family: 'deepseek',
    request: requestAt(tsDoc),
    snippets: tsSnippets,
    expected:
      '<｜fim▁begin｜>// Path: src/b.ts\n// export function b() {}\n' +
      '// Path: src/example.ts (below the cursor)\n// export default f;\n// export const version = 2;\n' +
      `// Path: src/example.ts\n${tsPrefix}<｜fim▁hole｜>${tsNear}<｜fim▁end｜>`,
  },
  {
    name: 'codellama, python: # comments and the spaced markers',
    family: 'codellama',
    request: requestAt('def f(x):\n    return g(█)\nprint(f(1))', { languageId: 'python', relativePath: 'src/example.py' }),
    snippets: [snippet('src/utils.py', 'def g(x):\n    return x\n')],
    expected:
      '<PRE> # Path: src/utils.py\n# def g(x):\n#     return x\n' +
      '# Path: src/example.py (below the cursor)\n# print(f(1))\n# Path: src/example.py\n' +
      'def f(x):\n    return g( <SUF>)\nprint(f(1)) <MID>',
  },
  {
    name: 'codestral: suffix first with the whole suffix budget, context comments before the prefix',
    family: 'codestral',
    request: requestAt(tsDoc),
    snippets: tsSnippets,
    expected:
      `[SUFFIX]${tsNear}export const version = 2;` +
      `[PREFIX]// Path: src/b.ts\n// export function b() {}\n// Path: src/example.ts\n${tsPrefix}`,
  },
  {
    name: 'css has no line comment: each context line becomes a block comment',
    family: 'deepseek',
    request: requestAt('a { color: █; }', { languageId: 'css', relativePath: 'a.css' }),
    snippets: [snippet('b.css', 'b { margin: 0 } /* x */')],
    expected:
      '<｜fim▁begin｜>/* Path: b.css */\n/* b { margin: 0 } /* x * / */\n/* Path: a.css */\n' +
      'a { color: <｜fim▁hole｜>; }<｜fim▁end｜>',
  },
  {
    name: 'qwen: a custom repo name',
    family: 'qwen',
    request: requestAt('x█'),
    snippets: [],
    expected: '<|repo_name|>acme/app\n<|file_sep|>src/example.ts\n<|fim_prefix|>x<|fim_suffix|><|fim_middle|>',
  },
];

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Keystrokes at which the prompt changed before the previous cursor position (KV cache lost). */
function cacheBreaks(prompts: BuiltPrompt[]): number {
  let breaks = 0;
  for (let i = 1; i < prompts.length; i++) {
    if (commonPrefixLength(prompts[i - 1]!.text, prompts[i]!.text) < prompts[i - 1]!.cursorIndex!) breaks++;
  }
  return breaks;
}

describe('buildPrompt', () => {
  describe('renders each family exactly', () => {
    for (const c of renderCases) {
      it(c.name, () => {
        const options = c.name.includes('custom repo name') ? { repoName: 'acme/app' } : {};
        const prompt = buildPrompt(c.request, c.family, budgets, c.snippets, options);
        assert.equal(prompt.text, c.expected);
        assert.equal(prompt.family, c.family);
      });
    }
  });

  describe('reports its parts', () => {
    for (const family of FIM_FAMILIES) {
      it(`${family}: prefix, suffix, prefixStart, cursorIndex and estimate agree with the text`, () => {
        const request = requestAt(tsDoc);
        const prompt = buildPrompt(request, family, budgets, tsSnippets);
        assert.equal(prompt.prefix, tsPrefix);
        assert.equal(prompt.prefixStart, 0);
        assert.equal(prompt.suffix, family === 'codestral' ? `${tsNear}export const version = 2;` : tsNear);
        assert.ok(prompt.text.slice(0, prompt.cursorIndex).endsWith(prompt.prefix));
        const rough = tokenWeight(prompt.text);
        assert.ok(prompt.estimatedTokens > 0 && prompt.estimatedTokens <= rough + 1, `${prompt.estimatedTokens} vs ${rough}`);
      });
    }
  });

  describe('typing one character keeps the prompt identical up to the old cursor', () => {
    const positions = [
      { name: 'mid-line inside a call', source: sampleCode(40, 20) + '  const total = sum(█);\n' + sampleCode(30, 60) },
      { name: 'end of a line', source: sampleCode(40, 20) + '  const total = █\n' + sampleCode(30, 60) },
      { name: 'on a fresh indented line', source: sampleCode(40, 20) + '  █\n' + sampleCode(30, 60) },
    ];
    for (const family of FIM_FAMILIES) {
      for (const p of positions) {
        for (const typed of ['a', '\n', ' ']) {
          it(`${family}, ${p.name}, typing ${JSON.stringify(typed)}`, () => {
            const before = requestAt(p.source);
            const after = typeAt(before, typed);
            const snippets = [snippet('src/util.ts', sampleCode(6, 0))];
            // A prefix budget smaller than the code above, so the window is really cut.
            const cut = { ...budgets, prefixTokens: 300 };
            const a = buildPrompt(before, family, cut, snippets);
            const b = buildPrompt(after, family, cut, snippets);
            assert.ok(a.prefixStart > 0, 'the prefix window is cut');
            assert.ok(a.cursorIndex !== undefined && a.cursorIndex > 0);
            assert.equal(b.text.slice(0, a.cursorIndex), a.text.slice(0, a.cursorIndex));
            assert.equal(b.text.slice(a.cursorIndex, a.cursorIndex + typed.length), typed);
          });
        }
      }
    }
  });

  describe('what the editor inserts at the cursor keeps the prompt identical up to the old cursor', () => {
    const edits = [
      { name: 'an auto-closed parenthesis', before: '  const total = sum█\n', typed: '(', inserted: ')' },
      { name: 'an auto-closed quote', before: "  const name = █;\n", typed: "'", inserted: "'" },
      { name: 'Enter between braces', before: '  if (ready) {█}\n', typed: '\n    ', inserted: '\n  ' },
    ];
    for (const family of FIM_FAMILIES) {
      for (const e of edits) {
        it(`${family}: ${e.name}`, () => {
          const before = requestAt(sampleCode(40, 20) + e.before + sampleCode(30, 60));
          const typed = typeAt(before, e.typed);
          const after = { ...typed, text: typed.text.slice(0, typed.offset) + e.inserted + typed.text.slice(typed.offset) };
          const cut = { ...budgets, prefixTokens: 300 };
          const a = buildPrompt(before, family, cut, []);
          const b = buildPrompt(after, family, cut, []);
          if (family === 'codestral') {
            // Suffix-first by training: an insert after the cursor changes the head; the prefix part
            // after [PREFIX] is still the same up to the old cursor.
            const from = (p: BuiltPrompt) => p.text.indexOf('[PREFIX]');
            assert.equal(b.text.slice(from(b), from(b) + a.cursorIndex! - from(a)), a.text.slice(from(a), a.cursorIndex));
          } else {
            assert.equal(b.text.slice(0, a.cursorIndex), a.text.slice(0, a.cursorIndex));
          }
        });
      }
    }
  });

  describe('the context block is byte-identical when the snippets are', () => {
    const snippets = [snippet('src/a.ts', sampleCode(5, 0)), snippet('src/b.ts', sampleCode(5, 100))];
    const doc = sampleCode(60, 0);
    const firstLine = snippets[0]!.text.split('\n')[0]!;
    const lastLine = snippets[1]!.text.trimEnd().split('\n').pop()!;
    /** From the first snippet's path to the end of the last snippet's text. */
    const contextSection = (p: BuiltPrompt) => {
      const start = p.text.indexOf('src/a.ts');
      const end = p.text.indexOf(lastLine, p.text.indexOf(firstLine)) + lastLine.length;
      assert.ok(start > 0 && end > start, 'both snippets are rendered');
      return { start, end, text: p.text.slice(start, end) };
    };
    for (const family of FIM_FAMILIES) {
      it(`${family}: two cursor positions render the same snippet bytes${family === 'codestral' ? '' : ' at the same place'}`, () => {
        const one = buildPrompt({ ...requestAt('█'), text: doc, offset: 100 }, family, budgets, snippets);
        const two = buildPrompt({ ...requestAt('█'), text: doc, offset: doc.length - 50 }, family, budgets, snippets);
        const a = contextSection(one);
        const b = contextSection(two);
        assert.equal(b.text, a.text);
        if (family === 'codestral') {
          // Suffix-first: the section follows the suffix, which moves with the cursor.
          assert.ok(a.start > one.text.indexOf('[PREFIX]'));
        } else {
          assert.ok(commonPrefixLength(one.text, two.text) >= a.end, 'the section is in the shared head');
        }
      });
    }
  });

  it('renders snippets in the given order', () => {
    const prompt = buildPrompt(requestAt('x█'), 'qwen', budgets, [snippet('z.ts', 'z'), snippet('a.ts', 'a')]);
    assert.ok(prompt.text.indexOf('z.ts') < prompt.text.indexOf('a.ts'));
  });

  it('cuts snippets at whole lines to fit the context budget and drops what no longer fits', () => {
    const big = sampleCode(80, 0);
    const small = { ...budgets, contextTokens: 120 };
    const prompt = buildPrompt(requestAt('x█'), 'qwen', small, [snippet('big.ts', big), snippet('next.ts', big)]);
    const block = prompt.text.slice(prompt.text.indexOf('big.ts\n') + 'big.ts\n'.length, prompt.text.lastIndexOf('<|file_sep|>'));
    assert.ok(block.length > 0 && big.startsWith(block), 'a whole-line head of the snippet');
    assert.ok(block.endsWith('\n'));
    assert.ok(tokenWeight(block) <= 120, `${tokenWeight(block)}`);
    assert.ok(!prompt.text.includes('next.ts'));
  });

  it('renders identical bytes for identical input', () => {
    const request = requestAt(sampleCode(30, 0) + '█' + sampleCode(30, 30));
    const snippets = [snippet('s.ts', sampleCode(10, 5))];
    assert.equal(buildPrompt(request, 'qwen', budgets, snippets).text, buildPrompt(request, 'qwen', budgets, snippets).text);
  });

  it('keeps the near suffix within its budget and carries the code after it in the far block', () => {
    const request = requestAt('  foo(█);\n' + sampleCode(40, 0));
    const prompt = buildPrompt(request, 'qwen', budgets, []);
    assert.ok(tokenWeight(prompt.suffix) <= budgets.suffixTokens);
    assert.ok(prompt.suffix.startsWith(');\n'));
    const header = '<|file_sep|>src/example.ts\n';
    const far = prompt.text.slice(prompt.text.indexOf(header) + header.length, prompt.text.lastIndexOf(header));
    assert.ok(far.startsWith('function handler0('), 'from the next line of code');
    assert.ok(far.includes(sampleCode(10, 0)), 'and well beyond the near suffix');
    assert.ok(tokenWeight(far) <= budgets.farSuffixTokens + 1);
  });

  it('keeps the prefix window within its budget on a long file', () => {
    const request = requestAt(sampleCode(400, 0) + '█');
    const prompt = buildPrompt(request, 'qwen', { ...budgets, prefixTokens: 300 }, []);
    assert.ok(tokenWeight(prompt.prefix) <= 300);
    assert.ok(tokenWeight(prompt.prefix) >= 300 / 3, 'the window is not starved');
    assert.equal(request.text[prompt.prefixStart - 1], '\n', 'starts at a line start');
  });

  it('typing 50 lines breaks the cached prefix rarely, the sliding baseline on most lines', () => {
    let request = requestAt(sampleCode(200, 0) + '  █\n' + sampleCode(100, 300));
    const typedLines = sampleCode(50, 1000).split('\n').slice(0, 50);
    const bantam: BuiltPrompt[] = [];
    const baseline: BuiltPrompt[] = [];
    const starts = new Set<number>();
    for (const line of typedLines) {
      for (const ch of line + '\n') {
        request = typeAt(request, ch);
        const p = buildPrompt(request, 'qwen', budgets, []);
        bantam.push(p);
        starts.add(p.prefixStart);
        baseline.push(buildBaselinePsmPrompt(request, 'qwen', budgets));
      }
    }
    const bantamBreaks = cacheBreaks(bantam);
    const baselineBreaks = cacheBreaks(baseline);
    assert.ok(bantamBreaks <= 3, `bantam broke the cache ${bantamBreaks} times`);
    assert.ok(starts.size <= 4, `${starts.size} distinct window starts`);
    assert.ok(baselineBreaks >= 10 * Math.max(1, bantamBreaks), `baseline broke it ${baselineBreaks} times`);
  });
});

describe('buildBaselinePsmPrompt', () => {
  it('renders plain PSM: prefix window, then the first near+far tokens after the cursor', () => {
    const prompt = buildBaselinePsmPrompt(requestAt(tsDoc), 'qwen', budgets);
    assert.equal(prompt.text, `<|fim_prefix|>${tsPrefix}<|fim_suffix|>${tsNear}export const version = 2;<|fim_middle|>`);
    assert.equal(prompt.suffix, `${tsNear}export const version = 2;`);
    assert.equal(prompt.cursorIndex, '<|fim_prefix|>'.length + tsPrefix.length);
  });

  it("uses the family's native order (codestral: suffix first)", () => {
    const prompt = buildBaselinePsmPrompt(requestAt('a█b'), 'codestral', budgets);
    assert.equal(prompt.text, '[SUFFIX]b[PREFIX]a');
  });

  it('slides its window start line by line as the cursor moves on', () => {
    const doc = sampleCode(300, 0);
    const small = { ...budgets, prefixTokens: 200 };
    const at = (offset: number) => buildBaselinePsmPrompt({ ...requestAt('█'), text: doc, offset }, 'qwen', small);
    const lineEnd = doc.indexOf('\n', 5000);
    const nextEnd = doc.indexOf('\n', lineEnd + 1);
    assert.notEqual(at(lineEnd).prefixStart, at(nextEnd).prefixStart);
  });
});
