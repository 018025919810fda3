// Streamed answers in the chat webview: deltas build a markdown answer that ends up as real
// structure (heading, list, highlighted code with its buttons), the buttons post the exact code,
// the route line appears when the turn ends, and the list keeps to the bottom only if it was there.
import * as assert from 'node:assert/strict';
import {
  CONVERSATION, ChatHarness, assistantTurn, deliver, deltas, posted, stateMessage, userTurn, waitForPosted, waitForRenderedText,
} from './support/chatPage';

const CODE = [
  'export function total(items: number[]): number {',
  '  return items.reduce((sum, x) => sum + x, 0); // <b>&amp;</b>',
  '}',
].join('\n');

const ANSWER = [
  '# Cart totals',
  '',
  'Two steps, see src/cart.ts:12 for the caller:',
  '',
  '- read `items` from the cart',
  '- sum them with **reduce**',
  '',
  '```ts src/cart.ts',
  CODE,
  '```',
  '',
  'Done.',
].join('\n');

describe('chat webview: streaming', function () {
  this.timeout(60_000);
  const harness = new ChatHarness();
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => harness.closePages());

  it('renders a streamed markdown answer with a highlighted code block and working buttons', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), {
      type: 'turnStarted', conversationId: CONVERSATION, turns: [userTurn('u1', 'How do I total the cart?'), assistantTurn('a1', '')],
    });
    await deliver(page, ...deltas('a1', ANSWER, 7));
    await waitForRenderedText(page, 'a1', 'Done.');

    const shape = await page.evaluate(() => {
      const body = document.querySelector('[data-turn-id="a1"] .turn-body')!;
      return {
        heading: body.querySelector('h1')?.textContent,
        items: Array.from(body.querySelectorAll('li')).map((li) => li.textContent),
        inlineCode: Array.from(body.querySelectorAll(':not(pre) > code')).map((c) => c.textContent),
        keywords: body.querySelectorAll('.code-block code .hljs-keyword').length,
        code: body.querySelector('.code-block code')?.textContent,
        buttons: Array.from(body.querySelectorAll('.code-block .code-toolbar button')).map((b) => b.getAttribute('aria-label')),
        fileRefs: Array.from(body.querySelectorAll('button.file-ref')).map((b) => b.textContent),
        streaming: !!document.querySelector('[data-turn-id="a1"] .streaming'),
      };
    });
    assert.equal(shape.heading, 'Cart totals');
    assert.deepEqual(shape.items, ['read items from the cart', 'sum them with reduce']);
    assert.deepEqual(shape.inlineCode, ['items']);
    assert.ok(shape.keywords >= 2, `highlighted keywords: ${shape.keywords}`);
    assert.equal(shape.code, `${CODE}\n`);
    assert.deepEqual(shape.buttons, ['Copy code', 'Insert code at cursor', 'Apply code to src/cart.ts']);
    assert.deepEqual(shape.fileRefs, ['src/cart.ts:12']);
    assert.equal(shape.streaming, true);

    await deliver(page, {
      type: 'turnEnded', conversationId: CONVERSATION,
      turn: assistantTurn('a1', ANSWER, 'done', { route: { tier: 'frontier', provider: 'anthropic', model: 'claude-x' }, notices: ['Fell back once.'] }),
    });
    const ended = await page.evaluate(() => ({
      route: document.querySelector('[data-turn-id="a1"] .route')?.textContent,
      notice: document.querySelector('[data-turn-id="a1"] .turn-notice')?.textContent,
      streaming: !!document.querySelector('[data-turn-id="a1"] .streaming'),
    }));
    assert.deepEqual(ended, { route: 'answered by anthropic (claude-x), frontier', notice: 'Fell back once.', streaming: false });

    await page.click('[data-turn-id="a1"] button[data-action="copy"]');
    await page.click('[data-turn-id="a1"] button[data-action="insert"]');
    await page.click('[data-turn-id="a1"] button[data-action="apply"]');
    await page.click('[data-turn-id="a1"] button.file-ref');
    const sent = (await posted(page)).filter((m) => m.type !== 'ready');
    assert.deepEqual(sent, [
      { type: 'copy', code: CODE },
      { type: 'insert', code: CODE },
      { type: 'apply', code: CODE, language: 'ts', path: 'src/cart.ts' },
      { type: 'openFile', path: 'src/cart.ts', line: 12 },
    ]);
  });

  it('shows which model is answering while it streams, then who answered', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), {
      type: 'turnStarted', conversationId: CONVERSATION, turns: [userTurn('u1', 'Why?'), assistantTurn('a1', '')],
    });
    await deliver(page, { type: 'turnRoute', conversationId: CONVERSATION, turnId: 'a1', route: { tier: 'local', provider: 'embedded (tiny)', model: 'tiny' } });
    await page.waitForFunction(() => document.querySelector('[data-turn-id="a1"] .route')?.textContent === 'answering with embedded (tiny) (tiny), local');
    // A fallback announces the new model; a route for another conversation changes nothing.
    await deliver(page, { type: 'turnRoute', conversationId: 'other', turnId: 'a1', route: { tier: 'frontier', provider: 'x', model: 'y' } });
    await deliver(page, { type: 'turnRoute', conversationId: CONVERSATION, turnId: 'a1', route: { tier: 'frontier', provider: 'anthropic', model: 'claude-x' } });
    await page.waitForFunction(() => document.querySelector('[data-turn-id="a1"] .route')?.textContent === 'answering with anthropic (claude-x), frontier');
    await deliver(page, {
      type: 'turnEnded', conversationId: CONVERSATION,
      turn: assistantTurn('a1', 'Because.', 'done', { route: { tier: 'frontier', provider: 'anthropic', model: 'claude-x' } }),
    });
    assert.equal(
      await page.evaluate(() => document.querySelector('[data-turn-id="a1"] .route')?.textContent),
      'answered by anthropic (claude-x), frontier',
    );
  });

  it("lists an answer's sources, each opening its file at its first line", async () => {
    const { page } = await harness.open();
    const sources = [
      { file: 'src/pricing.ts', startLine: 3, endLine: 20, reason: 'defines computeTotals (named in the question)' },
      { file: 'src/cart.ts', startLine: 1, endLine: 9, reason: 'imports src/pricing.ts' },
    ];
    await deliver(page, stateMessage({ turns: [assistantTurn('a1', 'It is in pricing.', 'done', { sources })] }));
    const listed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-turn-id="a1"] .sources li')).map((li) => li.textContent),
    );
    assert.deepEqual(listed, [
      'src/pricing.ts:3-20 — defines computeTotals (named in the question)',
      'src/cart.ts:1-9 — imports src/pricing.ts',
    ]);
    await page.click('[data-turn-id="a1"] .sources summary');
    await page.click('[data-turn-id="a1"] .sources li:nth-child(2) button');
    assert.deepEqual(await waitForPosted(page, { type: 'openFile' }), { type: 'openFile', path: 'src/cart.ts', line: 1 });
  });

  it('sends a fence without a path as apply with its language only', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage({ turns: [assistantTurn('a1', '```python\nprint("hi")\n```', 'done')] }));
    await page.click('[data-turn-id="a1"] button[data-action="apply"]');
    const apply = await waitForPosted(page, { type: 'apply' });
    assert.deepEqual(apply, { type: 'apply', code: 'print("hi")', language: 'python' });
  });

  it('keeps the turns scrolled to the bottom while streaming, unless the user scrolled up', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 400 } });
    await deliver(page, stateMessage(), { type: 'turnStarted', conversationId: CONVERSATION, turns: [assistantTurn('a1', '')] });
    const long = Array.from({ length: 80 }, (_, i) => `Line ${i} of the answer.\n`).join('\n');
    await deliver(page, ...deltas('a1', long, 40));
    await waitForRenderedText(page, 'a1', 'Line 79 of');
    const atBottom = () => page.evaluate(() => {
      const t = document.querySelector('.turns')!;
      return { gap: t.scrollHeight - t.scrollTop - t.clientHeight, top: t.scrollTop, scrollable: t.scrollHeight > t.clientHeight };
    });
    const first = await atBottom();
    assert.ok(first.scrollable, 'the answer overflows the view');
    assert.ok(first.gap <= 1, `gap to bottom ${first.gap}`);

    await page.evaluate(() => { document.querySelector('.turns')!.scrollTop = 0; });
    await deliver(page, ...deltas('a1', '\n\nMore text at the end.', 5));
    await waitForRenderedText(page, 'a1', 'More text at the end.');
    assert.equal((await atBottom()).top, 0);
  });

  it('restores the saved state at once when the view is shown again', async () => {
    const saved = {
      state: (stateMessage({ turns: [userTurn('u1', 'saved question'), assistantTurn('a1', '## Saved answer', 'done')] }) as { state: unknown }).state,
      draft: 'half-typed',
    };
    const { page } = await harness.open({ saved });
    const restored = await page.evaluate(() => ({
      heading: document.querySelector('[data-turn-id="a1"] h2')?.textContent,
      question: document.querySelector('[data-turn-id="u1"] .user-text')?.textContent,
      draft: (document.querySelector('textarea') as HTMLTextAreaElement).value,
      title: document.querySelector('.title')?.textContent,
    }));
    assert.deepEqual(restored, { heading: 'Saved answer', question: 'saved question', draft: 'half-typed', title: 'Cart totals' });
  });

  it('saves what it shows, so a hidden view can come back', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), { type: 'turnStarted', conversationId: CONVERSATION, turns: [assistantTurn('a1', '')] });
    await deliver(page, ...deltas('a1', 'streamed words', 3));
    await waitForRenderedText(page, 'a1', 'streamed words');
    // Saving is batched (a quarter second), not done on every change.
    await page.waitForFunction(() => (window.__saved as { state?: { turns?: { text: string }[] } } | undefined)?.state?.turns?.[0]?.text === 'streamed words');
    const saved = (await page.evaluate(() => window.__saved)) as { state: { turns: { text: string }[] } };
    assert.equal(saved.state.turns[0]?.text, 'streamed words');
  });
});

describe('chat webview: turn updates', function () {
  this.timeout(60_000);
  const harness = new ChatHarness();
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => harness.closePages());

  // Each way a turn can first appear, then each way it can change: one element per turn, always.
  const arrivals = ['state', 'turnStarted'] as const;
  const changes = ['delta', 'turnEnded'] as const;
  for (const arrival of arrivals) {
    for (const change of changes) {
      it(`updates a turn that arrived by ${arrival} in place on ${change}`, async () => {
        const { page } = await harness.open();
        const turn = assistantTurn('a1', 'First part');
        if (arrival === 'state') await deliver(page, stateMessage({ turns: [turn] }));
        else await deliver(page, stateMessage(), { type: 'turnStarted', conversationId: CONVERSATION, turns: [turn] });
        if (change === 'delta') await deliver(page, { type: 'delta', conversationId: CONVERSATION, turnId: 'a1', text: ', second part.' });
        else await deliver(page, { type: 'turnEnded', conversationId: CONVERSATION, turn: assistantTurn('a1', 'First part, second part.', 'done') });
        await waitForRenderedText(page, 'a1', 'First part, second part.');
        assert.equal(await page.locator('[data-turn-id="a1"]').count(), 1);
      });
    }
  }
});
