// A team's server that is real: inline completion through `bantam.completion.backend: openai` and the
// local chat tier through `bantam.routing.localProvider: openai`, against a real llama-server (built
// by scripts/buildLlamaServer.mjs, env BANTAM_LLAMA_SERVER; scripts/test.mjs builds it when the
// machine has none) serving the tiny test model with a chat template. A pass-through proxy records
// what went each way, so the suite checks what Bantam sent and that what the user sees is what the
// server answered. Also the faults a real server produces on demand: it goes away and comes back,
// and it runs with a smaller context than Bantam was told. (Faults a real server won't produce on
// demand stay with the loopback fakes: ollama.test, frontierRouting.test, the unit tests.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatView } from '../../src/vscode/chatView';
import { LlamaServerProcess } from '../support/llamaServer';
import { sseEvents, startRecordingProxy, type ProxiedExchange, type RecordingProxy } from '../support/recordingProxy';
import { chatReady, lastExchange, writeTinyChatModel } from './chatHarness';
import { bantam, closeAllEditors, openWithCursor, requestSuggestion, restoreEmbeddedBackend, setSetting, waitFor } from './helpers';

/** What the server's context holds (tokens); the tiny model's byte-level vocabulary makes a token about a character. */
const SERVER_CONTEXT = 8192;
const MODEL_NAME = 'team-coder';

/** The server binary scripts/test.mjs (or runIntegration.mjs) found or built; a clear failure otherwise. */
function serverBinary(): string {
  const binary = process.env.BANTAM_LLAMA_SERVER;
  if (binary) return binary;
  const why = process.env.BANTAM_LLAMA_SERVER_ERROR;
  throw new Error(
    `no llama-server for the team-server suite${why ? `: ${why}` : ''}. Build it with \`npm run llama-server\` (or run the suites through \`npm test\`, which builds it).`,
  );
}

interface StreamedChoice {
  text?: string;
  delta?: { content?: string };
}

/** The text a streamed /completions or /chat/completions answer carried, and its usage. */
function streamed(exchange: ProxiedExchange): { text: string; model?: string; usage?: { prompt_tokens: number; completion_tokens: number } } {
  let text = '';
  let model: string | undefined;
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
  for (const event of sseEvents(exchange.response) as Array<{ choices?: StreamedChoice[]; model?: string; usage?: typeof usage }>) {
    const choice = event.choices?.[0];
    text += choice?.text ?? choice?.delta?.content ?? '';
    model ??= event.model;
    if (event.usage) usage = event.usage;
  }
  return { text, model, usage };
}

describe('a team server that is real (llama-server: /v1/completions and /v1/chat/completions)', function () {
  this.timeout(180_000);
  let server: LlamaServerProcess;
  let proxy: RecordingProxy;
  let model: { path: string; dispose(): void };

  before(async () => {
    model = await writeTinyChatModel();
    server = new LlamaServerProcess(serverBinary(), {
      model: model.path,
      threads: 1,
      flashAttention: false,
      contextSize: SERVER_CONTEXT,
      slots: 2,
      cacheReuse: 256,
      // The model's own chat template, rendered by the server (as a team's server would).
      extraArgs: ['--jinja'],
    });
    await server.start();
    proxy = await startRecordingProxy(server.url);
    await setSetting('openai.baseUrl', `${proxy.url}/v1`);
    await setSetting('openai.model', MODEL_NAME);
    await setSetting('openai.completionModel', MODEL_NAME);
    await setSetting('openai.completionFamily', 'qwen');
  });

  after(async () => {
    await restoreEmbeddedBackend();
    for (const key of ['openai.baseUrl', 'openai.model', 'openai.completionModel', 'openai.completionFamily', 'routing.localProvider', 'routing.maxAnswerTokens']) {
      await setSetting(key, undefined);
    }
    await proxy?.close();
    await server?.stop();
    model?.dispose();
    await closeAllEditors();
  });

  describe('inline completion (bantam.completion.backend: openai)', () => {
    before(async () => {
      await setSetting('completion.backend', 'openai');
    });

    it("sends Bantam's FIM prompt to /v1/completions and shows the server's tokens; Tab inserts them", async () => {
      const api = await bantam();
      const editor = await openWithCursor('src/teamArea.ts', 'export function area(width: number, height: number): number {\n  return █\n}\n');
      const before = editor.document.getText();
      const offset = editor.document.offsetAt(editor.selection.active);
      const sent = proxy.to('/v1/completions').length;

      const suggestion = await requestSuggestion(api, 60_000);

      const exchange = proxy.to('/v1/completions')[sent];
      assert.ok(exchange, 'Bantam never called /v1/completions');
      const body = exchange.body as { model: string; prompt: string; stream: boolean; max_tokens: number };
      assert.equal(body.model, MODEL_NAME);
      assert.equal(body.stream, true);
      assert.ok(body.max_tokens > 0);
      // Qwen's FIM layout, rendered by Bantam (the server gets it as the raw prompt).
      assert.match(body.prompt, /<\|fim_prefix\|>[\s\S]*return <\|fim_suffix\|>\n\}\n[\s\S]*<\|fim_middle\|>$/);
      await waitFor(() => exchange.ended, 10_000, 'the answer to end');
      assert.equal(exchange.status, 200);
      const answer = streamed(exchange);
      // The server read the FIM markers as its special tokens: one token each, not ~14 bytes of text.
      assert.ok(answer.usage, 'the server sent no usage');
      assert.ok(answer.usage.prompt_tokens < body.prompt.length - 30, `${answer.usage.prompt_tokens} prompt tokens for ${body.prompt.length} characters`);
      // What the user sees is what the real server generated (cut where Bantam's extent rules end it).
      assert.ok(suggestion.text.length > 0, 'the suggestion is empty');
      assert.ok(answer.text.startsWith(suggestion.text), `shown ${JSON.stringify(suggestion.text)}, server said ${JSON.stringify(answer.text)}`);

      await waitFor(async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        return editor.document.getText() !== before;
      }, 10_000, 'the suggestion to be accepted');
      assert.equal(editor.document.getText(), before.slice(0, offset) + suggestion.text + before.slice(offset));
      assert.equal(api.service.currentState.status, 'ready');
    });

    it('says the server cannot be reached when it goes away, and suggests again once it is back', async () => {
      const api = await bantam();
      // Straight at the server (no proxy in between), so its going away is a refused connection.
      await setSetting('openai.baseUrl', `${server.url}/v1`);
      try {
        await server.stop();
        await openWithCursor('src/teamDown.ts', 'const total = █\n');
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        const state = await waitFor(() => api.service.currentState.status === 'error' && api.service.currentState, 20_000, 'the error state');
        assert.match(state.message ?? '', new RegExp(`could not reach ${new URL(server.url).host.replace(/\./g, '\\.')}`));
        assert.match(state.message ?? '', /ECONNREFUSED/);
        assert.match(state.message ?? '', /Check that the server is running/);
        assert.match(api.statusBar.text, /\$\(error\)/);

        await server.start();
        const editor = await openWithCursor('src/teamBack.ts', 'export function double(value: number): number {\n  return █\n}\n');
        // A failed server is asked again a few seconds later, by the next keystroke: the user goes on
        // typing, and a suggestion from the server that came back shows up.
        const before = api.lastSuggestion;
        let suggestion: typeof before;
        for (const ch of 'value * 2 + value - 0') {
          await vscode.commands.executeCommand('type', { text: ch });
          suggestion = await waitFor(() => api.lastSuggestion !== before && api.lastSuggestion, 2000, 'a suggestion').catch(() => undefined);
          if (suggestion) break;
        }
        assert.ok(suggestion && suggestion.text.length > 0, `no suggestion after typing ${JSON.stringify(editor.document.lineAt(1).text)}`);
        assert.equal(api.service.currentState.status, 'ready');
      } finally {
        await setSetting('openai.baseUrl', `${proxy.url}/v1`);
      }
    });
  });

  describe('the local chat tier (bantam.routing.localProvider: openai)', () => {
    let chat: () => ChatView;
    const send = (text: string) => chat().receive({ type: 'send', text, tier: 'local' });

    before(async () => {
      const api = await bantam();
      chat = () => api.chat;
      await setSetting('completion.backend', 'embedded');
      await setSetting('routing.localProvider', 'openai');
      await setSetting('routing.maxAnswerTokens', 24);
      await vscode.commands.executeCommand('bantam.openChat');
      await waitFor(() => chatReady(chat()), 30_000, "the chat webview's 'ready'");
    });

    after(async () => {
      // Asking with tier 'local' set the panel's tier: later suites ask with the session's tier.
      await chat?.().receive({ type: 'setTier', tier: 'auto' });
    });

    it("streams the real server's answer from /v1/chat/completions into the panel, as local and free", async () => {
      const api = await bantam();
      const sent = proxy.to('/v1/chat/completions').length;
      const logged = api.routingLog.entries().length;

      await send('What does the area function return?');

      const { user, answer } = lastExchange(chat());
      assert.equal(user.text, 'What does the area function return?');
      assert.equal(answer.status, 'done', answer.error);
      const exchange = proxy.to('/v1/chat/completions')[sent];
      assert.ok(exchange, 'Bantam never called /v1/chat/completions');
      const body = exchange.body as { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
      assert.equal(body.model, MODEL_NAME);
      assert.equal(body.stream, true);
      assert.equal(body.messages.at(-1)?.role, 'user');
      assert.match(body.messages.at(-1)?.content ?? '', /What does the area function return\?/);
      await waitFor(() => exchange.ended, 10_000, 'the answer to end');
      const streamedAnswer = streamed(exchange);
      assert.ok(streamedAnswer.text.length > 0, 'the server answered nothing');
      assert.equal(answer.text, streamedAnswer.text);
      // The model is the one the server says answered (llama-server names its model file).
      assert.deepEqual(answer.route, { tier: 'local', provider: `OpenAI-compatible server (${new URL(proxy.url).host})`, model: streamedAnswer.model });
      const entry = api.routingLog.entries().slice(logged).at(-1);
      assert.ok(entry, 'the routing log has no entry for the question');
      assert.equal(entry.tier, 'local');
      assert.equal(entry.outcome, 'ok');
      // The server's own counts, not Bantam's estimates.
      assert.equal(entry.outputTokens, streamedAnswer.usage?.completion_tokens);
      assert.equal(entry.costUsd, 0);
    });

    it("a question longer than the server's context gets the server's sizes and the setting to change", async () => {
      const sent = proxy.to('/v1/chat/completions').length;
      // What each request may use: the server splits its context between its slots.
      const slots = (await (await fetch(`${server.url}/slots`)).json()) as Array<{ n_ctx: number }>;
      const perRequest = slots[0]!.n_ctx;
      // ~9,000 characters: a few thousand tokens by Bantam's estimate (the setting says 128,000), but
      // more than the server's context with this model's byte-level vocabulary.
      const question = `Summarise this log:\n${'request served in 12 ms from cache\n'.repeat(260)}`;

      await send(question);

      const { answer } = lastExchange(chat());
      const exchange = proxy.to('/v1/chat/completions')[sent];
      assert.ok(exchange, 'the question never reached the server');
      assert.equal(exchange.status, 400);
      assert.equal(answer.status, 'error');
      assert.match(answer.error ?? '', /can't take a prompt this long/);
      assert.match(answer.error ?? '', new RegExp(`Set bantam\\.openai\\.contextWindow to ${perRequest} or less`));
    });
  });
});
