// Tests for the messages each routed task sends: edit tasks carry the files whole, the selection,
// the diagnostic and the instruction, under the edit-format rules the parser reads; answer tasks
// carry the excerpts with their paths and lines and the `path:line` citation rule; every fence is
// longer than any backtick run inside the code it wraps, so code cannot close it early; and a
// snippet reaches a prompt as its five fields only.
import * as assert from 'node:assert/strict';
import {
  buildAnswerMessages,
  buildEditMessages,
  EDIT_TASKS,
  renderSnippets,
  toPromptSnippet,
  type AnswerPromptInput,
  type EditPromptInput,
  type PromptSnippet,
} from '../../../src/core/chat/taskPrompts';
import { EDIT_FORMAT_INSTRUCTIONS } from '../../../src/core/edits/editFormat';

const CART = 'export class Cart {\n  total(): number {\n    return 0;\n  }\n}\n';
const ITEM = 'export interface Item {\n  price: number;\n}\n';
const SNIPPET: PromptSnippet = {
  file: 'src/pricing.ts',
  startLine: 30,
  endLine: 34,
  text: 'export function computeTotal(items: Item[]): number {\n  return 1;\n}\n',
  reason: 'defines computeTotal',
};

/** Every fenced block in `text`: its fence and body (the fence must close with the same run). */
function fencedBlocks(text: string): { fence: string; body: string }[] {
  return Array.from(text.matchAll(/^(`{3,})[^\n`]*\n([\s\S]*?)\n\1$/gm), (m) => ({ fence: m[1]!, body: m[2]! }));
}

describe('taskPrompts', () => {
  describe('buildEditMessages', () => {
    const base: EditPromptInput = {
      kind: 'refactor',
      instruction: 'Rename total to subtotal',
      files: [
        { path: 'src/cart.ts', text: CART },
        { path: 'src/item.ts', text: ITEM },
      ],
      selection: { path: 'src/cart.ts', startLine: 2, endLine: 4, text: '  total(): number {\n    return 0;\n  }' },
      diagnostic: { message: "Property 'x' does not exist", line: 3, source: 'ts', code: '2339' },
      context: [SNIPPET],
    };

    it('is a system message with the task rules and the edit format, then one user message', () => {
      for (const kind of EDIT_TASKS) {
        const messages = buildEditMessages({ ...base, kind });
        assert.deepEqual(messages.map((m) => m.role), ['system', 'user'], kind);
        assert.ok(messages[0]!.content.includes(EDIT_FORMAT_INSTRUCTIONS), kind);
        assert.ok(!messages[1]!.content.includes('# How to answer with edits'), `${kind}: the format rules are not repeated`);
      }
      // Each kind has its own rule line.
      const rules = new Set(EDIT_TASKS.map((kind) => buildEditMessages({ ...base, kind })[0]!.content.split('\n')[1]));
      assert.equal(rules.size, EDIT_TASKS.length);
    });

    it('shows every file whole under its path, exactly as SEARCH must copy it', () => {
      const user = buildEditMessages(base)[1]!.content;
      assert.ok(user.includes('src/cart.ts\n```ts\n' + CART + '```'), user);
      assert.ok(user.includes('src/item.ts\n```ts\n' + ITEM + '```'), user);
      assert.ok(user.indexOf('src/cart.ts\n```') < user.indexOf('src/item.ts\n```'), 'in the order given');
    });

    it('carries the excerpts read-only, then the selection, the diagnostic and the instruction, in that order', () => {
      const user = buildEditMessages(base)[1]!.content;
      const order = [
        '## Current files',
        '## Related code (read-only',
        'src/pricing.ts:30-34 (defines computeTotal)',
        '## Task',
        'The selection is lines 2-4 of src/cart.ts:\n```\n  total(): number {\n    return 0;\n  }\n```',
        "The problem (ts 2339) at line 3: Property 'x' does not exist",
        'Instruction: Rename total to subtotal',
      ];
      let at = -1;
      for (const part of order) {
        const next = user.indexOf(part);
        assert.ok(next > at, `"${part}" after the previous part in:\n${user}`);
        at = next;
      }
      assert.ok(user.trimEnd().endsWith('Instruction: Rename total to subtotal'));
    });

    it('leaves out what the input does not have', () => {
      const user = buildEditMessages({ kind: 'multi-file-edit', instruction: 'Add a currency', files: [], context: [] })[1]!.content;
      assert.equal(user, '## Task\n\nInstruction: Add a currency');
      const noSource = buildEditMessages({ ...base, diagnostic: { message: 'boom', line: 7 } })[1]!.content;
      assert.ok(noSource.includes('The problem at line 7: boom'), noSource);
    });
  });

  describe('buildAnswerMessages', () => {
    const question: AnswerPromptInput = { kind: 'multi-file-question', question: 'Where is the total computed?', context: [SNIPPET] };

    it('carries the excerpts with path and lines, the question, and the citation rule', () => {
      const [system, user] = buildAnswerMessages(question);
      assert.equal(system!.role, 'system');
      assert.match(system!.content, /Cite the code you rely on as `path:line`/);
      assert.ok(!system!.content.includes('SEARCH'), 'answers are not edits');
      assert.equal(user!.role, 'user');
      assert.equal(
        user!.content,
        '## Code excerpts\n\nsrc/pricing.ts:30-34 (defines computeTotal)\n```\n' + SNIPPET.text + '```\n\n## Question\nWhere is the total computed?',
      );
    });

    it('puts the conversation history between the rules and the new question', () => {
      const history = [
        { role: 'user' as const, content: 'What is Cart?' },
        { role: 'assistant' as const, content: 'A class (`src/cart.ts:1`).' },
      ];
      const messages = buildAnswerMessages({ kind: 'chat', question: 'And total()?', context: [], history });
      assert.deepEqual(messages.slice(1, 3), history);
      assert.equal(messages.length, 4);
      assert.equal(messages[3]!.content, '## Question\nAnd total()?');
    });

    it('explain without a question asks to explain the selection, shown with its lines', () => {
      const selection = { path: 'src/cart.ts', startLine: 2, endLine: 4, text: '  total(): number {\n    return 0;\n  }' };
      const user = buildAnswerMessages({ kind: 'explain', question: '', selection, context: [] })[1]!.content;
      assert.equal(user, 'The selection is lines 2-4 of src/cart.ts:\n```\n' + selection.text + '\n```\n\nExplain the selection.');
    });
  });

  describe('fences', () => {
    const codes = [
      { name: 'no backticks', text: 'const a = 1;\n', fence: '```' },
      { name: 'a template literal', text: 'const s = `x`;\n', fence: '```' },
      { name: 'a markdown fence', text: '# Doc\n```ts\ncode\n```\n', fence: '````' },
      { name: 'a longer fence', text: 'x\n``````\ny\n', fence: '```````' },
      { name: 'a backtick run mid-line', text: 'const md = "````";\n', fence: '`````' },
    ];
    for (const c of codes) {
      it(`wraps code with ${c.name} in ${c.fence.length} backticks, everywhere code is shown`, () => {
        const snippet = { ...SNIPPET, text: c.text };
        const selection = { path: 'README.md', startLine: 1, endLine: 3, text: c.text };
        const texts = [
          renderSnippets([snippet]),
          buildAnswerMessages({ kind: 'explain', question: 'what?', selection, context: [snippet] })[1]!.content,
          buildEditMessages({ kind: 'refactor', instruction: 'x', files: [{ path: 'README.md', text: c.text }], selection, context: [snippet] })[1]!.content,
        ];
        for (const text of texts) {
          const blocks = fencedBlocks(text);
          assert.ok(blocks.length > 0, text);
          for (const block of blocks) {
            assert.equal(block.fence, c.fence, text);
            assert.equal(block.body, c.text.replace(/\n$/, ''));
          }
        }
      });
    }
  });

  describe('toPromptSnippet', () => {
    it('copies the five fields a prompt shows and nothing else a search result carries', () => {
      const found = { ...SNIPPET, score: 3.5, tokens: 12, kind: 'definition' as const };
      const copy = toPromptSnippet(found);
      assert.deepEqual(copy, SNIPPET);
      assert.deepEqual(Object.keys(copy), ['file', 'startLine', 'endLine', 'text', 'reason']);
      assert.notEqual(copy, found);
    });
  });
});
