// Integration suite: routing to the frontier tier in the real VS Code host, against a fake Anthropic
// server and a fake Ollama server. Ask About Codebase streams an answer built from the index into
// the chat panel, citing the excerpts it sent; the routing log records every attempt with tokens,
// latency and cost; consent gates the first send; a failing frontier falls back to the local model
// and says so; and the API key never reaches a message, a settings file or the host's logs, even
// when the server quotes it back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RoutingLogEntry } from '../../src/core/routing/routingLog';
import type { CommandOutcome } from '../../src/vscode/frontierCommands';
import {
  API_KEY,
  chunked,
  editBlock,
  FRONTIER_MODEL,
  FrontierHarness,
  LOCAL_MODEL,
  promptText,
  selectLines,
  watchMessages,
  writeWorkspaceFile,
  WRONG_KEY,
} from './frontierHarness';
import { filesUnder, hostUserDataDir, waitFor, workspaceDir } from './helpers';

const DOUBLE = 'export function double(values: number[]): number[] {\n  const out: number[] = [];\n  for (const v of values) out.push(v * 2);\n  return out;\n}\n';
const DOUBLE_MAPPED = 'export function double(values: number[]): number[] {\n  return values.map((v) => v * 2);\n}\n';
const doubleAnswer = (rel: string): string =>
  editBlock(rel, '  const out: number[] = [];\n  for (const v of values) out.push(v * 2);\n  return out;\n', '  return values.map((v) => v * 2);\n');

async function run(command: string, args: object): Promise<CommandOutcome> {
  const outcome = await vscode.commands.executeCommand<CommandOutcome>(command, args);
  assert.ok(outcome, `${command} returned nothing`);
  return outcome;
}

const ask = (question: string) => run('bantam.askAboutCodebase', { question });

/** The line (1-based) of `needle` in a workspace file. */
function lineOf(rel: string, needle: string): number {
  const index = fs.readFileSync(path.join(workspaceDir(), rel), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `${needle} not in ${rel}`);
  return index + 1;
}

describe('frontier routing (ask, routing log, consent, fallback, keys)', function () {
  this.timeout(120_000);
  let h: FrontierHarness;

  before(async () => {
    h = await FrontierHarness.start();
  });

  afterEach(async () => {
    h.reset();
    await vscode.workspace.saveAll(false);
  });

  after(async () => {
    await h?.stop();
  });

  it('Ask About Codebase streams a cited answer into the chat panel, with the sources it picked', async () => {
    const defined = lineOf('src/pricing.ts', 'export function computeTotals');
    const pieces = ['`computeTotals` is defined at ', `src/pricing.ts:${defined}`, '. It takes the discounts off the subtotal', ', then adds tax at TAX_PERCENT.'];
    h.provider.setScript({ chunks: pieces });
    const question = 'Where is computeTotals defined, and how does it apply tax?';
    const openBefore = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));

    const outcome = await ask(question);

    assert.equal(outcome.status, 'answered', outcome.message);
    assert.equal(outcome.text, pieces.join(''));
    assert.deepEqual(outcome.route, { tier: 'frontier', provider: h.frontierLabel, model: FRONTIER_MODEL });
    // The index picked the defining file and its excerpt went to the model.
    const excerpt = outcome.used?.find((s) => s.file === 'src/pricing.ts' && s.startLine <= defined && defined <= s.endLine);
    assert.ok(excerpt, `the definition was not picked: ${JSON.stringify(outcome.used?.map((s) => [s.file, s.reason]))}`);
    assert.ok(promptText(h.anthropicRequests().at(-1)?.body).includes('export function computeTotals'), 'the excerpt was not sent');

    // The answer landed in the panel: the question with its @codebase chip, then the streamed answer and its sources.
    const [user, answer] = h.api.chat.session.state().turns.slice(-2);
    assert.ok(user && answer, 'the panel holds no question and answer');
    assert.equal(user.role, 'user');
    assert.equal(user.text, question);
    assert.deepEqual(user.chips?.map((c) => [c.kind, c.label]), [['codebase', '@codebase']]);
    assert.equal(answer.role, 'assistant');
    assert.equal(answer.status, 'done', answer.error);
    assert.equal(answer.text, pieces.join(''));
    assert.deepEqual(answer.route, outcome.route);
    assert.ok(
      answer.sources?.some((s) => s.file === 'src/pricing.ts' && s.startLine === excerpt.startLine && s.endLine === excerpt.endLine),
      `the answer's sources do not list the definition: ${JSON.stringify(answer.sources)}`,
    );

    // No read-only answer document any more: the panel is where answers go.
    assert.equal(outcome.document, undefined);
    const opened = vscode.workspace.textDocuments.filter((d) => !openBefore.has(d.uri.toString()) && d.uri.scheme === 'bantam');
    assert.deepEqual(opened.map((d) => d.uri.toString()), [], 'an answer document was opened');
  });

  it('the routing log records task, tier, provider, model, tokens, latency, outcome and estimated cost', async () => {
    h.provider.setScript({ chunks: ['Tax ', 'is 7% ', 'of the discounted ', 'subtotal.'], usage: { input: 1200, output: 300 } });
    const outcome = await ask('What percentage is the tax in computeTotals?');
    assert.equal(outcome.status, 'answered', outcome.message);

    const entries = await vscode.commands.executeCommand<RoutingLogEntry[]>('bantam.showRoutingLog');
    const entry = entries?.at(-1);
    assert.ok(entry, 'the routing log is empty');
    assert.equal(entry.task, 'multi-file-question');
    assert.equal(entry.tier, 'frontier');
    assert.equal(entry.provider, h.frontierLabel);
    assert.equal(entry.model, FRONTIER_MODEL);
    assert.equal(entry.inputTokens, 1200);
    assert.equal(entry.outputTokens, 300);
    assert.equal(entry.tokensEstimated, false, "the server's usage report was not used");
    assert.ok(Number.isFinite(entry.latencyMs) && entry.latencyMs >= 0, `latency ${entry.latencyMs}`);
    assert.equal(entry.outcome, 'ok');
    // claude-sonnet-4 prices: $3 / $15 per million tokens in / out.
    assert.ok(entry.costUsd !== null && Math.abs(entry.costUsd - (1200 * 3 + 300 * 15) / 1e6) < 1e-9, `cost ${entry.costUsd}`);

    const shown = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(shown, /^# Bantam routing log/);
    assert.ok(shown.includes('multi-file-question') && shown.includes(FRONTIER_MODEL), 'the report does not list the request');
  });

  it('asks consent with the files to send; "cancel" sends nothing, "send" sends and is remembered', async () => {
    const rel = 'src/frontier/doubleConsent.ts';
    writeWorkspaceFile(rel, DOUBLE);
    const editor = await selectLines(rel, 2, 4);
    await h.api.consent.revoke();
    h.prompts.consentAnswer = 'cancel';
    h.provider.setScript({ chunks: chunked(doubleAnswer(rel)) });
    const sentBefore = h.provider.requests.length;
    const localBefore = h.ollama.requests.length;

    const cancelled = await run('bantam.refactorSelection', { instruction: 'use map' });

    assert.equal(cancelled.status, 'cancelled');
    assert.equal(h.prompts.consentAsked.length, 1, 'consent was not asked');
    assert.equal(h.prompts.consentAsked[0]!.label, h.frontierLabel);
    assert.ok(h.prompts.consentAsked[0]!.files.includes(rel), `the consent question did not list ${rel}: ${h.prompts.consentAsked[0]!.files}`);
    assert.equal(h.provider.requests.length, sentBefore, 'code was sent without consent');
    assert.equal(h.ollama.requests.length, localBefore, 'cancel must not fall back to the local model');
    assert.equal(h.api.consent.has(h.frontierLabel), false);
    assert.equal(editor.document.getText(), DOUBLE);

    // The same request with "send" goes out, and the answer is remembered for the workspace.
    h.prompts.consentAnswer = 'send';
    const sent = await run('bantam.refactorSelection', { instruction: 'use map' });
    assert.equal(sent.status, 'applied', JSON.stringify(sent.problems ?? sent.message));
    assert.equal(h.provider.requests.length, sentBefore + 1);
    assert.equal(h.api.consent.has(h.frontierLabel), true);
    assert.equal(editor.document.getText(), DOUBLE_MAPPED);

    // "Bantam: Forget Frontier Consent" makes the next request ask again.
    const forgotten = await vscode.commands.executeCommand<string[]>('bantam.forgetFrontierConsent');
    assert.deepEqual(forgotten, [h.frontierLabel]);
    assert.equal(h.api.consent.has(h.frontierLabel), false);
    h.prompts.consentAnswer = 'cancel';
    await selectLines(rel, 1, 2);
    const asked = h.prompts.consentAsked.length;
    assert.equal((await run('bantam.refactorSelection', { instruction: 'use map' })).status, 'cancelled');
    assert.equal(h.prompts.consentAsked.length, asked + 1, 'consent was not asked again');
  });

  it('falls back to the local model when the frontier fails, says so, and logs the failed attempt', async () => {
    await h.set('routing.maxRetries', 0);
    const rel = 'src/frontier/doubleFallback.ts';
    writeWorkspaceFile(rel, DOUBLE);
    const editor = await selectLines(rel, 2, 4);
    h.provider.setScript({ httpError: { status: 500, message: 'The server had an error while processing your request' } });
    h.ollama.setScript({ chunks: chunked(doubleAnswer(rel)) });
    const sentBefore = h.anthropicRequests().length;
    const noticesBefore = h.api.notices.length;
    const loggedBefore = h.api.routingLog.entries().length;

    const outcome = await run('bantam.refactorSelection', { instruction: 'use map' });

    assert.equal(outcome.status, 'applied', JSON.stringify(outcome.problems ?? outcome.message));
    assert.deepEqual(outcome.route, { tier: 'local', provider: h.localLabel, model: LOCAL_MODEL });
    assert.equal(editor.document.getText(), DOUBLE_MAPPED);
    assert.equal(h.anthropicRequests().length, sentBefore + 1, 'maxRetries 0 must mean one attempt');
    assert.equal(h.ollama.requestsTo('/api/chat').at(-1)?.body?.model, LOCAL_MODEL);

    const notices = h.api.notices.slice(noticesBefore);
    assert.ok(
      notices.some((n) => n.startsWith(`${h.frontierLabel} failed, so the local model (${LOCAL_MODEL}) answers instead`) && n.includes('HTTP 500')),
      `no fallback notice in ${JSON.stringify(notices)}`,
    );
    const entries = h.api.routingLog.entries().slice(loggedBefore);
    assert.deepEqual(
      entries.map((e) => [e.task, e.tier, e.provider, e.outcome]),
      [
        ['refactor', 'frontier', h.frontierLabel, 'fallback'],
        ['refactor', 'local', h.localLabel, 'ok'],
      ],
    );
    assert.match(entries[0]!.note ?? '', /HTTP 500/);
    assert.equal(entries[0]!.costUsd, 0, 'a refused request costs nothing');
  });

  it("with VS Code's language models as the frontier and none offered, the task runs locally and says why", async () => {
    await h.set('routing.frontierProvider', 'vscode-lm');
    try {
      const rel = 'src/frontier/doubleVscodeLm.ts';
      writeWorkspaceFile(rel, DOUBLE);
      const editor = await selectLines(rel, 2, 4);
      h.ollama.setScript({ chunks: chunked(doubleAnswer(rel)) });
      const sentBefore = h.anthropicRequests().length;
      const noticesBefore = h.api.notices.length;

      const outcome = await run('bantam.refactorSelection', { instruction: 'use map' });

      assert.equal(outcome.status, 'applied', JSON.stringify(outcome.problems ?? outcome.message));
      assert.deepEqual(outcome.route, { tier: 'local', provider: h.localLabel, model: LOCAL_MODEL });
      assert.equal(editor.document.getText(), DOUBLE_MAPPED);
      assert.equal(h.anthropicRequests().length, sentBefore, 'nothing may go to another frontier provider');
      const notices = h.api.notices.slice(noticesBefore);
      assert.ok(
        notices.some((n) => n.includes('VS Code offers no language model') && n.includes(`local model (${LOCAL_MODEL})`)),
        `no notice naming the missing language model in ${JSON.stringify(notices)}`,
      );
    } finally {
      await h.set('routing.frontierProvider', 'anthropic');
    }
  });

  it('a rejected key (quoted back by the server) falls back, and no key reaches a message, settings or log file', async () => {
    await h.setKey(WRONG_KEY);
    const answer = ['computeTotals ', 'adds tax after ', 'the discounts.'];
    h.ollama.setScript({ chunks: answer });
    const noticesBefore = h.api.notices.length;
    const loggedBefore = h.api.routingLog.entries().length;
    const messages = watchMessages();
    let outcome: CommandOutcome;
    try {
      outcome = await ask('How does computeTotals apply tax?');
    } finally {
      messages.dispose();
      await h.setKey(API_KEY);
    }

    // The wrong key went out and the server quoted it back in its 401 body.
    const rejected = h.anthropicRequests().at(-1);
    assert.equal(rejected?.headers['x-api-key'], WRONG_KEY);
    assert.equal(outcome.status, 'answered', outcome.message);
    assert.equal(outcome.route?.tier, 'local');
    const notices = h.api.notices.slice(noticesBefore);
    const notice = notices.find((n) => n.startsWith(`${h.frontierLabel} failed`));
    assert.ok(notice, `no fallback notice in ${JSON.stringify(notices)}`);
    // The server's own words made it through (so what follows tests redaction, not silence).
    assert.match(notice, /rejected the API key \(HTTP 401: invalid x-api-key/);
    const entries = h.api.routingLog.entries().slice(loggedBefore);
    assert.equal(entries[0]?.outcome, 'fallback');

    const said = [
      ...notices,
      ...messages.shown,
      outcome.message ?? '',
      outcome.text ?? '',
      outcome.document?.getText() ?? '',
      JSON.stringify(h.api.routingLog.entries()),
    ];
    assert.ok(messages.shown.length > 0, 'the message watch saw nothing: it would prove nothing');
    for (const key of [WRONG_KEY, API_KEY]) {
      assert.ok(!said.some((s) => s.includes(key)), 'a key appears in a notice, message, answer or the routing log');
    }

    // Settings: the user's and the workspace's. Both are read for real (positive controls).
    const userData = hostUserDataDir();
    const settingsFiles = [
      ...filesUnder(userData).filter((f) => path.basename(f) === 'settings.json'),
      path.join(workspaceDir(), '.vscode', 'settings.json'),
    ];
    const settingsText = settingsFiles.map((f) => fs.readFileSync(f, 'utf8'));
    assert.ok(settingsText.some((t) => t.includes('telemetry.telemetryLevel')), 'the user settings.json was not found');
    assert.ok(settingsText.some((t) => t.includes(h.provider.url)), 'the workspace settings.json was not found');
    for (const [i, text] of settingsText.entries()) {
      assert.ok(!text.includes(API_KEY) && !text.includes(WRONG_KEY), `a key is in ${settingsFiles[i]}`);
    }

    // The host's logs: Bantam's output channel must have written the notice (positive control).
    const logs = path.join(userData, 'logs');
    const bantamLog = await waitFor(
      () => filesUnder(logs).find((f) => /bantam/i.test(path.basename(f)) && fs.readFileSync(f, 'utf8').includes(notice)),
      20_000,
      "Bantam's output channel log to record the fallback notice",
    );
    assert.ok(bantamLog);
    const logFiles = filesUnder(logs);
    for (const file of logFiles) {
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(!text.includes(API_KEY) && !text.includes(WRONG_KEY), `a key is in the log file ${file}`);
    }
  });
});
