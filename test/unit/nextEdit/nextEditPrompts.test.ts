// Each next-edit prompt format against its card's own example, byte for byte, and the KV-cache
// promise: while the user types inside the window, the prompt's stable prefix does not change.
import * as assert from 'node:assert/strict';
import { EditHistory, lineHunk } from '../../../src/core/nextEdit/editHistory';
import { sweepWindow, zetaWindow } from '../../../src/core/nextEdit/editableWindow';
import { nextEditFamilySpec } from '../../../src/core/nextEdit/nextEditFamilies';
import type { EditHunk, NextEditFormatName, NextEditInput } from '../../../src/core/nextEdit/nextEditTypes';
import { renderSweepBlocks, sweepPrompt } from '../../../src/core/nextEdit/sweepPrompt';
import { renderZetaPrompt, zetaEvent, zetaExcerpt, zetaPrompt } from '../../../src/core/nextEdit/zetaPrompt';

// The example of Sweep's card: https://huggingface.co/sweepai/sweep-next-edit-1.5B/blob/main/run_model.py
// (the 0.5B card points to the same script): greet.py, a context file utils.py, one recent diff,
// and the file before and after the most recent change (an import).
const UTILS = `def get_time_of_day():
    from datetime import datetime
    hour = datetime.now().hour
    if hour < 12:
        return "morning"
    elif hour < 18:
        return "afternoon"
    else:
        return "evening"
`;
const GREET_BEFORE = `def greet(name):
    print(f"Hello, {name}!")

greet("Alice")`;
const GREET_NOW = `from utils import get_time_of_day

def greet(name):
    print(f"Hello, {name}!")

greet("Alice")`;
/** build_prompt's output for the card's example, typed from the script. */
const SWEEP_CARD_PROMPT = `<|file_sep|>utils.py
def get_time_of_day():
    from datetime import datetime
    hour = datetime.now().hour
    if hour < 12:
        return "morning"
    elif hour < 18:
        return "afternoon"
    else:
        return "evening"

<|file_sep|>greet.py.diff
original:
def greet():
    print("Hello!")
updated:
def greet(name):
    print(f"Hello, {name}!")
<|file_sep|>original/greet.py
def greet(name):
    print(f"Hello, {name}!")

greet("Alice")
<|file_sep|>current/greet.py
from utils import get_time_of_day

def greet(name):
    print(f"Hello, {name}!")

greet("Alice")
<|file_sep|>updated/greet.py`;

// Zeta's format as Zed renders it for zed-industries/zeta (https://huggingface.co/zed-industries/zeta,
// trained on https://huggingface.co/datasets/zed-industries/zeta; Zed's crates/zeta_prompt zeta1),
// on the dataset's customer.rb example: the name made capitalized, the cursor after it.
const CUSTOMER = [
  '# A customer of the shop.',
  'class Customer',
  '  def initialize',
  '    @name = name.capitalize',
  '    @email = email',
  '    @phone = phone',
  '    @address = address',
  '  end',
  '',
  '  def to_s',
  '    @name',
  '  end',
  '',
  '  private',
  '',
  '  def validate_email',
  "    @email.include?('@')",
  '  end',
  'end',
].join('\n');
const ZETA_CARD_PROMPT = `### Instruction:
You are a code completion assistant and your task is to analyze user edits and then rewrite an excerpt that the user provides, suggesting the appropriate edits within the excerpt, taking into account the cursor location.

### User Edits:

User edited models/customer.rb:
\`\`\`diff
@@ -2,5 +2,5 @@
 class Customer
   def initialize
-    @name = name
+    @name = name.capitalize
     @email = email
     @phone = phone
\`\`\`

### User Excerpt:

\`\`\`models/customer.rb
  def initialize
<|editable_region_start|>
    @name = name.capitalize<|user_cursor_is_here|>
    @email = email
    @phone = phone
    @address = address
  end

  def to_s
    @name
  end

<|editable_region_end|>
  private

  def validate_email
    @email.include?('@')
\`\`\`

### Response:
`;

describe('next-edit prompt formats', () => {
  it("Sweep: the card's build_prompt example, byte for byte", () => {
    const { text } = renderSweepBlocks({
      contextFiles: [{ path: 'utils.py', text: UTILS }],
      recentDiffs: [{ path: 'greet.py', original: 'def greet():\n    print("Hello!")', updated: 'def greet(name):\n    print(f"Hello, {name}!")' }],
      filePath: 'greet.py',
      originalContent: GREET_BEFORE,
      currentContent: GREET_NOW,
    });
    assert.equal(text, SWEEP_CARD_PROMPT);
  });

  it("Sweep: the card's example from the editor's state: the newest hunk becomes the original/ window, older ones .diff blocks", () => {
    const olderDiff: EditHunk = { path: 'greet.py', startLine: 0, original: 'def greet():\n    print("Hello!")', updated: 'def greet(name):\n    print(f"Hello, {name}!")', at: 1 };
    const importHunk = lineHunk('greet.py', GREET_BEFORE, GREET_NOW, 2)!;
    const cursorOffset = 'from utils import get_time_of_day'.length;
    const prompt = sweepPrompt({
      path: 'greet.py',
      languageId: 'python',
      documentText: GREET_NOW,
      cursorOffset,
      window: sweepWindow(GREET_NOW, cursorOffset),
      history: [olderDiff, importHunk],
      related: [{ path: 'utils.py', text: UTILS }],
      viewed: [],
    });
    assert.equal(prompt.text, SWEEP_CARD_PROMPT);
    assert.equal(prompt.format, 'sweep');
    assert.deepEqual(prompt.stop, ['<|file_sep|>', '<|endoftext|>']);
    assert.ok(prompt.text.slice(0, prompt.stablePrefixChars).endsWith('<|file_sep|>original/greet.py\n'));
  });

  it("Zeta: the dataset's example in Zed's zeta1 layout, byte for byte", () => {
    const hunk: EditHunk = {
      path: 'models/customer.rb',
      startLine: 1,
      original: 'class Customer\n  def initialize\n    @name = name\n    @email = email\n    @phone = phone',
      updated: 'class Customer\n  def initialize\n    @name = name.capitalize\n    @email = email\n    @phone = phone',
      at: 1,
    };
    const excerpt = zetaExcerpt('models/customer.rb', CUSTOMER, { startLine: 3, endLine: 13 }, { startLine: 2, endLine: 17 }, '    @name = name.capitalize'.length);
    assert.equal(renderZetaPrompt([zetaEvent(hunk)], excerpt).text, ZETA_CARD_PROMPT);
  });

  it('Zeta: an excerpt from the top of the file starts with <|start_of_file|>; the prompt ends where the model answers', () => {
    const text = 'a = 1\nb = 2\n';
    const window = zetaWindow(text, 1);
    const prompt = zetaPrompt({ path: 'x.py', languageId: 'python', documentText: text, cursorOffset: 1, window, history: [], related: [], viewed: [] });
    assert.ok(prompt.text.includes('```x.py\n<|start_of_file|>\n<|editable_region_start|>\na<|user_cursor_is_here|> = 1\nb = 2\n\n<|editable_region_end|>\n```'));
    assert.ok(prompt.text.endsWith('### Response:\n'));
    assert.deepEqual(prompt.stop, ['<|editable_region_end|>', '<|endoftext|>']);
  });

  const source = Array.from({ length: 60 }, (_, i) => `  const v${i} = compute(${i});`).join('\n');

  for (const format of ['sweep', 'zeta'] as NextEditFormatName[]) {
    it(`${format}: while the user types inside the window, the stable prefix stays byte-identical`, () => {
      const spec = nextEditFamilySpec(format);
      const history = new EditHistory(() => true);
      // An earlier edit far above, then a pause, then typing at line 40.
      let text = source;
      const earlier = text.replace('compute(2)', 'compute(2, cache)');
      history.record('src/a.ts', text, earlier, 0);
      text = earlier;
      const prefixes = new Set<string>();
      const prompts = new Set<string>();
      let cursor = text.indexOf('compute(40)') + 'compute(40'.length;
      for (const [i, ch] of [...', cache'].entries()) {
        const next = text.slice(0, cursor) + ch + text.slice(cursor);
        history.record('src/a.ts', text, next, 10_000 + i * 150);
        text = next;
        cursor++;
        const input: NextEditInput = {
          path: 'src/a.ts', languageId: 'typescript', documentText: text, cursorOffset: cursor,
          window: spec.window(text, cursor), history: history.hunks(),
          related: [{ path: 'src/compute.ts', text: 'export function compute(n: number, cache?: Map<number, number>) {}' }], viewed: [],
        };
        const prompt = spec.render(input);
        prefixes.add(prompt.text.slice(0, prompt.stablePrefixChars));
        prompts.add(prompt.text);
      }
      assert.equal(prompts.size, ', cache'.length, 'every keystroke changes the prompt');
      assert.equal(prefixes.size, 1, 'but never its stable prefix');
      const [prefix] = [...prefixes];
      assert.ok(prefix!.includes('compute(2, cache)'), 'the earlier edit is in the prefix');
      assert.ok(!prefix!.includes('compute(40,'), 'the edit being typed is not');
    });
  }
});
