// Keyboard-only use of the chat webview: Tab reaches every control in a sensible order with a
// visible focus outline, Enter / Ctrl+Enter send (Shift+Enter is a new line), `@` opens the file
// picker where arrows and Enter pick, Escape closes it and stops nothing, and Stop posts `stop`.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  CONVERSATION, ChatHarness, assistantTurn, chip, deliver, deltas, posted, stateMessage, userTurn, waitForPosted, waitForRenderedText,
} from './support/chatPage';

const ANSWER = 'Use this:\n\n```ts src/a.ts\nexport const a = 1;\n```\n';

/** A short name for the focused element: its aria-label, else its tag. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e?.getAttribute('aria-label') ?? e?.tagName.toLowerCase() ?? '';
  });
}

/** Presses Tab until `name` has focus (at most `limit` times); returns every stop on the way. */
async function tabTo(page: Page, name: string, limit = 40): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    stops.push(await focused(page));
    if (stops[stops.length - 1] === name) return stops;
  }
  throw new Error(`Tab never reached ${name}; stops: ${stops.join(' | ')}`);
}

async function sent(page: Page): Promise<unknown[]> {
  return (await posted(page)).filter((m) => m.type !== 'ready');
}

describe('chat webview: keyboard', function () {
  this.timeout(60_000);
  const harness = new ChatHarness();
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => harness.closePages());

  async function openWithAnswer(): Promise<Page> {
    const { page } = await harness.open();
    await deliver(page, stateMessage({
      turns: [userTurn('u1', 'question'), assistantTurn('a1', ANSWER, 'done')],
      chips: [chip('k1', 'cart.ts', 120)],
    }));
    return page;
  }

  it('reaches every control by Tab in order: header, answer, chips, input, send', async () => {
    const page = await openWithAnswer();
    const stops = await tabTo(page, 'Send');
    const order = ['New conversation', 'Conversation history', 'Model tier', 'Copy code', 'Insert code at cursor',
      'Apply code to src/a.ts', 'Remove cart.ts', 'Add the current selection', 'Add the current file', 'Add a file by name',
      'Add context from the whole codebase', 'Ask Bantam', 'Send'];
    const positions = order.map((name) => stops.indexOf(name));
    assert.ok(positions.every((p) => p >= 0), `missing from ${stops.join(' | ')}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, `out of order: ${stops.join(' | ')}`);
  });

  it('shows a focus outline on keyboard focus', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Model tier');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.equal(outline, 'solid');
  });

  it('sends with Enter and Ctrl+Enter, with the chosen tier; Shift+Enter makes a new line', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Model tier');
    await page.keyboard.press('ArrowDown');
    await waitForPosted(page, { type: 'setTier', tier: 'local' });
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('textarea'), '');
    await page.keyboard.type('again');
    await page.keyboard.press('Control+Enter');
    assert.deepEqual(await sent(page), [
      { type: 'setTier', tier: 'local' },
      { type: 'send', text: 'first line\nsecond line', tier: 'local' },
      { type: 'send', text: 'again', tier: 'local' },
    ]);
  });

  it('does not send an empty question', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('   ');
    await page.keyboard.press('Enter');
    assert.deepEqual(await sent(page), []);
  });

  it('keeps focus on a code-block button while the answer around it streams on', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), {
      type: 'turnStarted', conversationId: CONVERSATION, turns: [userTurn('u1', 'Code?'), assistantTurn('a1', '')],
    });
    await deliver(page, ...deltas('a1', 'Here:\n\n```ts\nconst a = 1;\n```\n\n', 8));
    await waitForRenderedText(page, 'a1', 'const a = 1;');
    await page.focus('[data-turn-id="a1"] button[data-action="insert"]');
    await deliver(page, ...deltas('a1', 'More words arrive after the code block.', 6));
    await waitForRenderedText(page, 'a1', 'after the code block.');
    const focused = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return { action: active?.dataset.action, turn: active?.closest('[data-turn-id]')?.getAttribute('data-turn-id') };
    });
    assert.deepEqual(focused, { action: 'insert', turn: 'a1' });
  });

  it('keeps a question too long to send, and says so', async () => {
    const page = await openWithAnswer();
    const tooLong = 'x'.repeat(1_000_001);
    await page.fill('textarea', tooLong);
    await page.focus('textarea');
    await page.keyboard.press('Enter');
    assert.deepEqual(await sent(page), []);
    assert.equal((await page.inputValue('textarea')).length, tooLong.length);
    assert.match((await page.textContent('.notices')) ?? '', /too long to send/);
  });

  it('works the code-block buttons and chip remove buttons from the keyboard', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Copy code');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Apply code to src/a.ts');
    await page.keyboard.press('Space');
    await tabTo(page, 'Remove cart.ts');
    await page.keyboard.press('Enter');
    await waitForPosted(page, { type: 'removeChip' });
    assert.deepEqual(await sent(page), [
      { type: 'copy', code: 'export const a = 1;' },
      { type: 'apply', code: 'export const a = 1;', language: 'ts', path: 'src/a.ts' },
      { type: 'removeChip', chipId: 'k1' },
    ]);
  });

  it('opens the file picker on @, picks with arrows and Enter, and puts focus back', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('look at @');
    assert.equal(await focused(page), 'Search files to add as context');
    await page.keyboard.type('car');
    await waitForPosted(page, { type: 'searchFiles', query: 'car' });
    // A late answer to an older query must not replace the newer one.
    await deliver(page,
      { type: 'filePicker', query: 'car', items: [{ path: 'src/cart.ts' }, { path: 'src/carrot.ts', detail: 'src' }] },
      { type: 'filePicker', query: 'ca', items: [{ path: 'stale.ts' }] });
    const options = await page.$$eval('[role=option]', (els) => els.map((e) => e.textContent));
    assert.deepEqual(options, ['src/cart.ts', 'src/carrot.tssrc']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitForPosted(page, { type: 'addChip', kind: 'file', path: 'src/carrot.ts' });
    assert.equal(await page.isVisible('.picker'), false);
    assert.equal(await focused(page), 'Ask Bantam');
    assert.equal(await page.inputValue('textarea'), 'look at ');
    const searches = (await sent(page)).filter((m) => (m as { type: string }).type === 'searchFiles');
    assert.deepEqual(searches.map((m) => (m as { query: string }).query), ['', 'c', 'ca', 'car']);
  });

  it('offers @codebase first when the query is empty', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('@');
    await page.keyboard.press('Enter');
    await waitForPosted(page, { type: 'addChip', kind: 'codebase' });
    assert.equal(await page.inputValue('textarea'), '');
  });

  it('does not open the picker for an @ inside a word', async () => {
    const page = await openWithAnswer();
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('me@example.com');
    assert.equal(await page.isVisible('.picker'), false);
    assert.equal(await focused(page), 'Ask Bantam');
  });

  it('Escape closes the picker, keeps the typed @, and stops nothing', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), { type: 'turnStarted', conversationId: CONVERSATION, turns: [assistantTurn('a1', 'working')] });
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('@');
    assert.equal(await page.isVisible('.picker'), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('.picker'), false);
    assert.equal(await focused(page), 'Ask Bantam');
    assert.equal(await page.inputValue('textarea'), '@');
    await page.keyboard.press('Escape');
    assert.ok(!(await sent(page)).some((m) => (m as { type: string }).type === 'stop'));
  });

  it('while an answer streams, shows Stop instead of Send and posts stop from it', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(), {
      type: 'turnStarted', conversationId: CONVERSATION, turns: [userTurn('u1', 'q'), assistantTurn('a1', 'partial')],
    });
    assert.deepEqual([await page.isVisible('button[aria-label="Send"]'), await page.isVisible('button[aria-label="Stop"]')], [false, true]);
    // Enter while busy must not send another question.
    await tabTo(page, 'Ask Bantam');
    await page.keyboard.type('next');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Stop');
    await page.keyboard.press('Enter');
    await waitForPosted(page, { type: 'stop' });
    assert.deepEqual(await sent(page), [{ type: 'stop' }]);

    await deliver(page, { type: 'turnEnded', conversationId: CONVERSATION, turn: assistantTurn('a1', 'partial', 'stopped') });
    assert.deepEqual([await page.isVisible('button[aria-label="Send"]'), await page.isVisible('button[aria-label="Stop"]')], [true, false]);
    assert.equal(await page.textContent('[data-turn-id="a1"] .turn-notice'), 'Stopped.');
  });
});
