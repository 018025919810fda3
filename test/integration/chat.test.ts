// Integration suite: the chat side panel in the real VS Code host. The webview is real (it loads and
// says 'ready'); the tests speak for it through ChatView.receive, the handler of every message it
// posts, and watch what the extension posts back. A question is answered by the local test model in
// the real llama worker; the other questions go to the fake Ollama server, which shows what each
// request carried and how its connection ended. Covered: streaming, Stop end to end, Insert at
// Cursor, Apply to File (preview, confirm, one undo, refusals), history across reopening the panel
// and across sessions, context chips, malformed messages, and Ask About Selection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatViewState } from '../../src/core/chat/chatProtocol';
import { ChatSession } from '../../src/core/chat/chatSession';
import { ConversationStore } from '../../src/core/chat/conversationStore';
import { CHAT_MODEL_FILE, chatReady, chatVisible, conversationBackingStore, lastExchange, spyOnChat, writeTinyChatModel, type ChatSpy } from './chatHarness';
import { documentText, editBlock, FrontierHarness, LOCAL_MODEL, promptText, proposedDiffTab, selectLines, writeWorkspaceFile } from './frontierHarness';
import { closeAllEditors, openWithCursor, waitFor, workspaceDir } from './helpers';

const DIR = 'src/chat-it';
const rel = (name: string) => `${DIR}/${name}`;
const abs = (name: string) => path.join(workspaceDir(), DIR, name);

describe('chat panel (streaming, stop, insert, apply, history, chips, messages)', function () {
  this.timeout(180_000);
  let h: FrontierHarness;
  let spy: ChatSpy;

  const chat = () => h.api.chat;
  const state = (): ChatViewState => chat().session.state();
  const send = (text: string) => chat().receive({ type: 'send', text, tier: 'local' });
  const lastChatRequest = () => h.ollama.requestsTo('/api/chat').at(-1);
  /** A .gitignore written by a test applies once the file watcher has told Bantam (milliseconds, but not at once). */
  const ignoredTakesEffect = (path: string) => waitFor(() => h.api.guard.refusal(path), 10_000, `${path} to be git-ignored`);

  before(async () => {
    h = await FrontierHarness.start();
    spy = spyOnChat(h.api.chat);
    fs.mkdirSync(path.join(workspaceDir(), DIR), { recursive: true });
    await vscode.commands.executeCommand('bantam.openChat');
    await waitFor(() => chatReady(chat()), 30_000, "the chat webview's 'ready'");
  });

  afterEach(async () => {
    h.reset();
    await chat().receive({ type: 'stop' });
    for (const chip of state().chips) await chat().receive({ type: 'removeChip', chipId: chip.id });
    await vscode.workspace.saveAll(false);
  });

  after(async () => {
    // Later suites ask through the panel with the session's tier: leave it as the user would find it.
    await chat()?.receive({ type: 'setTier', tier: 'auto' });
    spy?.dispose();
    await h?.stop();
    fs.rmSync(path.join(workspaceDir(), DIR), { recursive: true, force: true });
  });

  it('answers from the local test model in the llama worker, streaming deltas into the panel', async () => {
    const model = await writeTinyChatModel();
    try {
      await closeAllEditors();
      await h.set('completion.backend', 'embedded');
      await h.set('completion.model', model.path);
      await h.set('completion.enabled', true);
      await h.set('routing.localProvider', 'embedded');
      await h.set('routing.frontierEnabled', false);
      await h.set('routing.maxAnswerTokens', 24);
      const logged = h.api.routingLog.entries().length;

      await send('How is computeTotals calculated?');

      const { user, answer } = lastExchange(chat());
      assert.equal(user.text, 'How is computeTotals calculated?');
      assert.equal(answer.status, 'done', answer.error);
      assert.ok(answer.text.length > 0, 'the answer is empty');
      assert.deepEqual(answer.route, { tier: 'local', provider: `embedded (${CHAT_MODEL_FILE})`, model: CHAT_MODEL_FILE });
      // The panel got the answer as it streamed: its deltas add up to the final text.
      assert.equal(spy.deltasFor(answer.id), answer.text);
      const ended = spy.posted.find((m) => m.type === 'turnEnded' && m.turn.id === answer.id);
      assert.ok(ended, 'no turnEnded was posted');
      const entry = h.api.routingLog.entries().slice(logged).at(-1);
      assert.ok(entry, 'the routing log has no entry for the question');
      assert.equal(entry.task, 'chat');
      assert.equal(entry.tier, 'local');
      assert.equal(entry.outcome, 'ok');
      assert.ok(entry.outputTokens > 0, `output tokens ${entry.outputTokens}`);
    } finally {
      await h.set('routing.localProvider', 'ollama');
      await h.set('routing.frontierEnabled', true);
      await h.set('completion.enabled', false);
      await h.set('routing.maxAnswerTokens', 4096);
      model.dispose();
    }
  });

  it('Stop cancels the answer end to end: the partial text stays, the HTTP request is closed', async () => {
    // The second chunk would come half a minute later: only a Stop that reaches the socket ends it sooner.
    h.ollama.setScript({ chunks: ['Counting: one', ' two', ' three'], chunkDelayMs: 30_000 });
    const requests = h.ollama.requestsTo('/api/chat').length;

    const startedBefore = spy.posted.filter((m) => m.type === 'turnStarted').length;
    const sending = send('Count to three, slowly.');
    const turnId = await waitFor(() => {
      const starts = spy.posted.filter((m) => m.type === 'turnStarted');
      const started = starts.length > startedBefore ? starts.at(-1) : undefined;
      return started?.type === 'turnStarted' && spy.deltasFor(started.turns[1]!.id) && started.turns[1]!.id;
    }, 30_000, 'the first delta of this question');
    assert.equal(state().busy, true);
    await chat().receive({ type: 'stop' });
    await sending;

    const { answer } = lastExchange(chat());
    assert.equal(answer.id, turnId);
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.text, 'Counting: one');
    assert.deepEqual(answer.route, { tier: 'local', provider: h.localLabel, model: LOCAL_MODEL });
    assert.equal(state().busy, false);
    const request = h.ollama.requestsTo('/api/chat')[requests];
    assert.ok(request, 'the question never reached the local model');
    assert.equal(await h.ollama.settled(request, 10_000), 'client-closed');
    assert.equal(request.chunksSent, 1);
  });

  it('Insert at Cursor puts the code at the cursor as one undoable edit', async () => {
    const editor = await openWithCursor(rel('insert.ts'), 'const a = 1;\n█\nconst c = 3;\n');
    spy.posted.length = 0;

    await chat().receive({ type: 'insert', code: 'const b = 2;' });

    assert.equal(editor.document.getText(), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    assert.deepEqual(spy.notices(), ['Inserted.']);
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), 'const a = 1;\n\nconst c = 3;\n');
  });

  describe('Apply to File', () => {
    const SOURCE = 'export function area(w: number, h: number): number {\n  const a = w * h;\n  return a;\n}\n';
    const BODY = '  return w * h;';
    const APPLIED = 'export function area(w: number, h: number): number {\n  return w * h;\n}\n';
    const SEARCH = '  const a = w * h;\n  return a;\n';
    const REPLACE = '  return w * h;\n';

    it('a code block replaces the selection after a diff preview and confirm, as one undoable edit', async () => {
      const file = writeWorkspaceFile(rel('apply.ts'), SOURCE);
      const editor = await selectLines(rel('apply.ts'), 2, 3);
      let diff: vscode.TabInputTextDiff | undefined;
      let proposed = '';
      h.prompts.confirm = async () => {
        diff = await waitFor(() => proposedDiffTab(file), 10_000, 'the proposed-change diff tab');
        proposed = (await vscode.workspace.openTextDocument(diff.modified)).getText();
        return true;
      };

      await chat().receive({ type: 'apply', code: BODY, language: 'ts' });

      assert.equal(h.prompts.confirmAsked.length, 1, 'the user was not asked');
      assert.ok(diff, 'no diff was shown before the confirm');
      assert.equal(diff.modified.scheme, 'bantam-proposed');
      assert.equal(proposed, APPLIED);
      assert.equal(editor.document.getText(), APPLIED);
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), SOURCE);
    });

    // The model writes the path above the fence or in its info string (the webview then sends the
    // block with the fence's path); a block with no path at all edits the file open in the editor.
    const bare = `<<<<<<< SEARCH\n${SEARCH}=======\n${REPLACE}>>>>>>> REPLACE\n`;
    const blocks: Array<[what: string, name: string, active: string, message: (file: string) => { code: string; path?: string }]> = [
      ['with its path line', 'applyEdit1.ts', 'elsewhere.ts', (file) => ({ code: editBlock(file, SEARCH, REPLACE) })],
      ['inside a fence naming the file', 'applyEdit2.ts', 'elsewhere.ts', (file) => ({ code: bare, path: file })],
      ['without a path, in the open file', 'applyEdit3.ts', 'applyEdit3.ts', () => ({ code: bare })],
    ];
    for (const [what, name, active, message] of blocks) {
      it(`a search/replace block ${what} changes that file`, async () => {
        writeWorkspaceFile(rel(name), SOURCE);
        writeWorkspaceFile(rel('elsewhere.ts'), 'let x = 1;\n');
        if (!message(rel(name)).path && active !== name) {
          // A block that names a file the user did not point at: the conversation showed it to the model.
          await chat().receive({ type: 'addChip', kind: 'file', path: rel(name) });
          h.ollama.setScript({ chunks: ['Here is the change.'] });
          await send('Simplify area');
        }
        // The cursor is in `active`: for a block that names its file, the block, not the editor, says where the change goes.
        await selectLines(rel(active), 1, 1);

        await chat().receive({ type: 'apply', language: 'ts', ...message(rel(name)) });

        assert.equal(h.prompts.confirmAsked.length, 1, `not asked; notices: ${spy.notices().join(' | ')}`);
        assert.deepEqual(h.prompts.confirmAsked[0]!.files, [`${rel(name)} (modify)`]);
        assert.equal(await documentText(rel(name)), APPLIED);
        assert.equal(await documentText(rel('elsewhere.ts')), 'let x = 1;\n');
      });
    }

    it('a block that rewrites a file the conversation never showed (nor the user pointed at) is refused', async () => {
      writeWorkspaceFile(rel('unshown.ts'), SOURCE);
      await selectLines(rel('elsewhere.ts'), 1, 1);
      spy.posted.length = 0;

      await chat().receive({ type: 'apply', language: 'ts', code: editBlock(rel('unshown.ts'), SEARCH, REPLACE) });

      assert.equal(h.prompts.confirmAsked.length, 0);
      assert.ok(spy.notices().some((n) => n.includes(`never showed ${rel('unshown.ts')}`)), spy.notices().join(' | '));
      assert.equal(await documentText(rel('unshown.ts')), SOURCE);
    });

    it('a declined preview changes nothing', async () => {
      const file = writeWorkspaceFile(rel('applyDeclined.ts'), SOURCE);
      const editor = await selectLines(rel('applyDeclined.ts'), 2, 3);
      h.prompts.confirm = () => false;

      await chat().receive({ type: 'apply', code: BODY });

      assert.equal(h.prompts.confirmAsked.length, 1);
      assert.equal(editor.document.getText(), SOURCE);
      assert.equal(editor.document.isDirty, false);
      assert.equal(fs.readFileSync(file, 'utf8'), SOURCE);
    });

    it('refuses git-ignored and .env files with a notice and changes nothing', async () => {
      writeWorkspaceFile(rel('.gitignore'), 'ignored.ts\n');
      writeWorkspaceFile(rel('ignored.ts'), SOURCE);
      writeWorkspaceFile(rel('.env'), 'API_TOKEN=integration-not-a-secret\n');
      await ignoredTakesEffect(rel('ignored.ts'));
      const cases: Array<[file: string, code: string, path?: string]> = [
        ['ignored.ts', editBlock(rel('ignored.ts'), SEARCH, REPLACE)],
        ['ignored.ts', BODY, rel('ignored.ts')],
        ['ignored.ts', `<<<<<<< SEARCH\n${SEARCH}=======\n${REPLACE}>>>>>>> REPLACE\n`, rel('ignored.ts')],
        ['.env', 'API_TOKEN=changed\n', rel('.env')],
        ['.env', editBlock(rel('.env'), 'API_TOKEN=integration-not-a-secret\n', 'API_TOKEN=changed\n')],
      ];
      for (const [name, code, target] of cases) {
        const before = fs.readFileSync(abs(name), 'utf8');
        spy.posted.length = 0;

        await chat().receive({ type: 'apply', code, ...(target ? { path: target } : {}) });

        const notices = spy.notices();
        assert.ok(notices.some((n) => /is git-ignored|looks secret/.test(n)), `${name} (${target ? 'path' : 'block'}): ${notices.join(' | ')}`);
        assert.equal(h.prompts.confirmAsked.length, 0, `${name}: the user was asked to apply a refused file`);
        assert.equal(await documentText(rel(name)), before);
        assert.equal(fs.readFileSync(abs(name), 'utf8'), before);
      }
    });
  });

  it('history survives hiding and reopening the panel, and a new session over the same store', async () => {
    h.ollama.setScript({ chunks: ['Remember ', 'this answer.'] });
    await send('Please remember this question.');
    const { user, answer } = lastExchange(chat());
    assert.equal(answer.status, 'done', answer.error);
    const id = state().activeId;
    const readies = spy.received.filter((m) => (m as { type?: unknown })?.type === 'ready').length;
    const postedBefore = spy.posted.length;

    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('bantam.openChat');

    // The webview was rebuilt: it asks for its state again, and gets the same conversation.
    await waitFor(() => spy.received.filter((m) => (m as { type?: unknown })?.type === 'ready').length > readies, 30_000, "the reopened webview's 'ready'");
    const resent = await waitFor(() => spy.posted.slice(postedBefore).find((m) => m.type === 'state'), 10_000, 'the state sent to the reopened webview');
    assert.ok(resent.type === 'state' && resent.state.activeId === id, 'the reopened webview got another conversation');
    assert.deepEqual(resent.state.turns.slice(-2).map((t) => t.id), [user.id, answer.id]);
    assert.deepEqual(state().turns.slice(-2).map((t) => [t.id, t.text, t.status]), [
      [user.id, 'Please remember this question.', 'done'],
      [answer.id, 'Remember this answer.', 'done'],
    ]);

    // As after a restart: a session built over the same workspace state opens the same conversation.
    const fresh = new ChatSession({
      store: new ConversationStore(conversationBackingStore(chat())),
      runner: { run: () => Promise.reject(new Error('not used')) } as never,
      post: () => undefined,
      maxAnswerTokens: () => 64,
    });
    try {
      assert.equal(fresh.state().activeId, id);
      assert.deepEqual(fresh.state().turns.slice(-2).map((t) => t.text), ['Please remember this question.', 'Remember this answer.']);
      assert.ok(fresh.state().conversations.some((c) => c.id === id && c.title.length > 0));
    } finally {
      fresh.dispose();
    }

    // New conversation: an empty one is active, the old one is still listed; deleting it removes it everywhere.
    await chat().receive({ type: 'newConversation' });
    assert.notEqual(state().activeId, id);
    assert.deepEqual(state().turns, []);
    assert.ok(state().conversations.some((c) => c.id === id));
    await chat().receive({ type: 'deleteConversation', id });
    assert.ok(!state().conversations.some((c) => c.id === id), 'the deleted conversation is still listed');
    assert.ok(!new ConversationStore(conversationBackingStore(chat())).list().some((c) => c.id === id), 'the deleted conversation is still stored');
  });

  it('context chips: selection, file, @codebase, refusal of ignored files, removal; a send carries them, then clears them', async () => {
    writeWorkspaceFile(rel('.gitignore'), 'ignored.ts\n');
    writeWorkspaceFile(rel('ignored.ts'), 'export const IGNORED_MARKER_5521 = 1;\n');
    await ignoredTakesEffect(rel('ignored.ts'));
    writeWorkspaceFile(rel('kept.md'), 'Kept notes: KEPT_MARKER_8812\n');
    writeWorkspaceFile(rel('removed.md'), 'Removed notes: REMOVED_MARKER_3307\n');
    writeWorkspaceFile(rel('chips.ts'), 'const one = 1;\nconst SELECTED_MARKER_4410 = 2;\nconst three = 3;\n');
    await selectLines(rel('chips.ts'), 2, 2);

    await chat().receive({ type: 'addChip', kind: 'selection' });
    await chat().receive({ type: 'addChip', kind: 'file', path: rel('kept.md') });
    await chat().receive({ type: 'addChip', kind: 'file', path: rel('removed.md') });
    spy.posted.length = 0;
    await chat().receive({ type: 'addChip', kind: 'file', path: rel('ignored.ts') });
    assert.ok(spy.notices('warning').some((n) => n.includes('is git-ignored, so Bantam never sends it')), spy.notices().join(' | '));
    await chat().receive({ type: 'addChip', kind: 'codebase' });

    assert.deepEqual(state().chips.map((c) => [c.kind, c.label]), [
      ['selection', 'chips.ts:2-2'],
      ['file', 'kept.md'],
      ['file', 'removed.md'],
      ['codebase', '@codebase'],
    ]);
    assert.ok(state().chips.every((c) => c.tokens > 0), JSON.stringify(state().chips));
    await chat().receive({ type: 'removeChip', chipId: `file:${rel('removed.md')}` });
    assert.deepEqual(state().chips.map((c) => c.label), ['chips.ts:2-2', 'kept.md', '@codebase']);

    h.ollama.setScript({ chunks: ['It ', 'adds tax.'] });
    await send('Where is computeTotals defined?');

    const prompt = promptText(lastChatRequest()?.body);
    assert.ok(prompt.includes('SELECTED_MARKER_4410'), 'the selection was not sent');
    assert.ok(prompt.includes('KEPT_MARKER_8812'), 'the file chip was not sent');
    assert.ok(prompt.includes('export function computeTotals'), 'the @codebase excerpt was not sent');
    assert.ok(!prompt.includes('REMOVED_MARKER_3307'), 'a removed chip was sent');
    assert.ok(!prompt.includes('IGNORED_MARKER_5521'), 'a git-ignored file was sent');
    assert.deepEqual(state().chips, [], 'the chips were not cleared after the send');
    const { user, answer } = lastExchange(chat());
    assert.equal(answer.status, 'done', answer.error);
    assert.deepEqual(user.chips?.map((c) => c.kind), ['selection', 'file', 'codebase']);
  });

  it('malformed messages from the webview are dropped without throwing and change nothing', async () => {
    const before = JSON.stringify(state());
    const requests = h.ollama.requests.length;
    spy.posted.length = 0;
    const malformed: unknown[] = [
      { type: 'send' },
      { type: 'send', text: 42, tier: 'local' },
      { type: 'send', text: 'hi', tier: 'turbo' },
      { type: 'nope' },
      { type: 'apply' },
      { type: 'insert', code: null },
      { type: 'addChip', kind: 'everything' },
      { type: 'openFile', path: 'src/money.ts', line: -3 },
      { type: 'deleteConversation' },
      { type: '__proto__' },
      'x',
      null,
      42,
      [{ type: 'send', text: 'hi', tier: 'local' }],
    ];
    for (const message of malformed) await chat().receive(message);

    assert.equal(JSON.stringify(state()), before);
    assert.deepEqual(spy.posted, [], 'a dropped message made the extension post');
    assert.equal(h.ollama.requests.length, requests, 'a dropped message reached the model');
  });

  it('Ask About Selection opens the panel with the selection as a chip', async () => {
    writeWorkspaceFile(rel('ask.ts'), 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    await selectLines(rel('ask.ts'), 2, 3);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');

    const added = await vscode.commands.executeCommand<boolean>('bantam.askAboutSelection');

    assert.equal(added, true, spy.notices().join(' | '));
    assert.ok(chatVisible(chat()), 'the panel is not showing');
    assert.deepEqual(state().chips.map((c) => [c.kind, c.label, c.id]), [['selection', 'ask.ts:2-3', `selection:${rel('ask.ts')}:2-3`]]);
  });
});
