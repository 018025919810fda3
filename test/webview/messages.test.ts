// Host messages the webview must not trust: malformed or unknown ones are dropped without
// touching the DOM, each with a warning that names the type only (never the content), and the app
// keeps working afterwards. Also the valid messages that aren't about turns: chips, notices, focus,
// and turn messages for a conversation that isn't shown.
import * as assert from 'node:assert/strict';
import { MAX_TEXT } from '../../src/core/chat/chatProtocol';
import {
  CONVERSATION, ChatHarness, assistantTurn, chip, deliver, stateMessage, userTurn, waitForRenderedText,
} from './support/chatPage';

const SECRET = 'SECRET-CONTENT-42';

const MALFORMED: unknown[] = [
  null,
  SECRET,
  42,
  [{ type: 'state' }],
  {},
  { type: 'unknown', text: SECRET },
  { type: '__proto__' },
  { type: 'constructor' },
  { type: 'toString' },
  { type: 'delta', conversationId: CONVERSATION, text: SECRET },
  { type: 'delta', conversationId: CONVERSATION, turnId: 'a1', text: 'x'.repeat(MAX_TEXT + 1) },
  { type: 'state', state: { conversations: [], activeId: CONVERSATION, turns: [], chips: [], tier: 'turbo', busy: false } },
  { type: 'state', state: { conversations: [], activeId: CONVERSATION, turns: [{ id: 'x', role: 'system', text: SECRET, status: 'done' }], chips: [], tier: 'auto', busy: false } },
  { type: 'turnStarted', conversationId: CONVERSATION, turns: [{ id: 7, role: 'assistant', text: SECRET, status: 'done' }] },
  { type: 'turnEnded', conversationId: CONVERSATION, turn: { id: 'a1', role: 'assistant', text: SECRET, status: 'finished' } },
  { type: 'chips', chips: [{ id: 'k', kind: 'secret', label: SECRET, tokens: 1 }] },
  { type: 'chips', chips: [{ id: 'k', kind: 'file', label: SECRET, tokens: -1 }] },
  { type: 'notice', level: 'fatal', text: SECRET },
  { type: 'filePicker', query: '', items: [{ path: 5 }] },
];

describe('chat webview: host messages', function () {
  this.timeout(60_000);
  const harness = new ChatHarness();
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => harness.closePages());

  it('drops malformed and unknown messages, warns with the type only, and keeps working', async () => {
    const served = await harness.open();
    const { page } = served;
    await deliver(page, stateMessage({
      turns: [userTurn('u1', 'question'), assistantTurn('a1', 'Partial answer')],
      chips: [chip('k1', 'cart.ts', 120)],
      busy: true,
    }));
    const snapshot = () => page.evaluate(() => document.getElementById('app')!.innerHTML);
    const before = await snapshot();
    const warningsBefore = served.console.filter((m) => m.type === 'warning').length;

    await deliver(page, ...MALFORMED);
    assert.equal(await snapshot(), before, 'the DOM did not change');
    const warnings = served.console.filter((m) => m.type === 'warning').slice(warningsBefore);
    assert.equal(warnings.length, MALFORMED.length);
    for (const w of warnings) {
      assert.match(w.text, /^Bantam chat: dropped /);
      assert.ok(!w.text.includes(SECRET), `warning leaks content: ${w.text}`);
    }
    assert.deepEqual(served.pageErrors, []);

    await deliver(page, { type: 'delta', conversationId: CONVERSATION, turnId: 'a1', text: ' and the rest.' });
    await waitForRenderedText(page, 'a1', 'Partial answer and the rest.');
  });

  it('ignores turn messages for a conversation that is not shown', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage({ turns: [assistantTurn('a1', 'Shown answer', 'done')] }));
    await deliver(page,
      { type: 'turnStarted', conversationId: 'other', turns: [userTurn('u9', 'elsewhere')] },
      { type: 'delta', conversationId: 'other', turnId: 'a1', text: ' leaked' },
      { type: 'turnEnded', conversationId: 'other', turn: assistantTurn('a1', 'replaced', 'done') });
    const text = await page.evaluate(() => (document.querySelector('.turns') as HTMLElement).innerText);
    assert.ok(text.includes('Shown answer') && !text.includes('leaked') && !text.includes('replaced') && !text.includes('elsewhere'), text);
  });

  it('shows chips with token counts, notices as text, and focuses the input on request', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage(),
      { type: 'chips', chips: [chip('k1', 'cart.ts:12-30', 240, 'selection'), chip('k2', '@codebase', 2000, 'codebase')] },
      { type: 'notice', level: 'warning', text: '<b>Frontier</b> is not configured.' },
      { type: 'focusInput' });
    const shown = await page.evaluate(() => ({
      chips: Array.from(document.querySelectorAll('.composer .chip-label')).map((c) => c.textContent),
      removeLabels: Array.from(document.querySelectorAll('.composer .chip-remove')).map((b) => b.getAttribute('aria-label')),
      notice: document.querySelector('.notice-warning .notice-text')?.textContent,
      boldInNotice: document.querySelectorAll('.notice b').length,
      focused: document.activeElement?.getAttribute('aria-label'),
    }));
    assert.deepEqual(shown, {
      chips: ['cart.ts:12-30 (240 tokens)', '@codebase (2,000 tokens)'],
      removeLabels: ['Remove cart.ts:12-30', 'Remove @codebase'],
      notice: '<b>Frontier</b> is not configured.',
      boldInNotice: 0,
      focused: 'Ask Bantam',
    });
  });

  it('lists, opens, deletes and starts conversations', async () => {
    const { page } = await harness.open();
    await deliver(page, stateMessage({
      conversations: [
        { id: 'c1', title: 'Cart totals', updatedAt: 1_700_000_000_000, turns: 2 },
        { id: 'c2', title: 'Older <i>one</i>', updatedAt: 1_600_000_000_000, turns: 4 },
      ],
    }));
    assert.equal(await page.textContent('.title'), 'Cart totals');
    await page.click('button[aria-label="Conversation history"]');
    const titles = await page.$$eval('.history-title', (els) => els.map((e) => e.textContent));
    assert.deepEqual(titles, ['Cart totals', 'Older <i>one</i>']);
    await page.click('button[aria-label="Delete conversation \\"Older <i>one</i>\\""]');
    await page.click('.history-item:nth-child(2) .history-open');
    await page.click('button[aria-label="New conversation"]');
    const sent = (await page.evaluate(() => window.__posted)).slice(1);
    assert.deepEqual(sent, [{ type: 'deleteConversation', id: 'c2' }, { type: 'openConversation', id: 'c2' }, { type: 'newConversation' }]);
  });
});
