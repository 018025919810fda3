// A ChatProvider over VS Code's language-model API (`vscode.lm`): whatever chat model another
// extension offers there (e.g. Copilot's), chosen by bantam.vscodeLm.vendor/family. The API has no
// system role, so the system prompt leads the first user message. Errors come back as BackendErrors
// with the same codes as the network providers, so the router treats them alike.
import * as vscode from 'vscode';
import type { VscodeLmConfig } from '../core/config';
import { estimateTokens } from '../core/kernel/tokenEstimate';
import { BackendError, isBackendError } from '../core/kernel/backendError';
import type { ChatMessage, ChatProvider, ChatRequest, ChatResult } from '../core/kernel/chatTypes';
import { whenAborted } from '../core/kernel/abort';

function describeSelector(config: VscodeLmConfig): string {
  const parts = [config.vendor && `vendor "${config.vendor}"`, config.family && `family "${config.family}"`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Finds the configured model now; undefined when VS Code offers none that matches. */
export async function findVscodeLmModel(config: VscodeLmConfig): Promise<vscode.LanguageModelChat | undefined> {
  if (!vscode.lm?.selectChatModels) return undefined;
  const selector: vscode.LanguageModelChatSelector = {};
  if (config.vendor) selector.vendor = config.vendor;
  if (config.family) selector.family = config.family;
  const models = await vscode.lm.selectChatModels(selector);
  return models[0];
}

export function noVscodeLmModelMessage(config: VscodeLmConfig): string {
  return `VS Code offers no language model${describeSelector(config)}; install and sign in to an extension that provides one, or pick another bantam.routing.frontierProvider.`;
}

function toLmMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const rest = messages.filter((m) => m.role !== 'system');
  return rest.map((m, i) => {
    const content = i === 0 && system ? `${system}\n\n${m.content}` : m.content;
    return m.role === 'assistant'
      ? vscode.LanguageModelChatMessage.Assistant(content)
      : vscode.LanguageModelChatMessage.User(content);
  });
}

function backendErrorFrom(error: unknown, label: string): BackendError {
  if (isBackendError(error)) return error;
  if (error instanceof vscode.LanguageModelError) {
    if (error.code === vscode.LanguageModelError.NoPermissions.name) {
      return new BackendError('unauthorized', `${label} refused: Bantam has no permission to use this model. Allow it when VS Code asks, or pick another provider.`);
    }
    if (error.code === vscode.LanguageModelError.NotFound.name) {
      return new BackendError('model-missing', `${label} is no longer available. Check the extension that provides it.`);
    }
    if (error.code === vscode.LanguageModelError.Blocked.name) {
      return new BackendError('http', `${label} blocked the request (quota or policy): ${error.message}`);
    }
  }
  return new BackendError('http', `${label} failed: ${error instanceof Error ? error.message : String(error)}`);
}

export class VscodeLmProvider implements ChatProvider {
  readonly kind = 'vscode-lm' as const;
  readonly tier = 'frontier' as const;
  readonly label: string;
  readonly model: string;

  constructor(private readonly chatModel: vscode.LanguageModelChat) {
    this.label = `VS Code LM (${chatModel.vendor})`;
    this.model = chatModel.id;
  }

  async contextWindow(): Promise<number> {
    return this.chatModel.maxInputTokens;
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const started = Date.now();
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    const unlisten = whenAborted(request.signal, onAbort);
    let text = '';
    let ttftMs = Number.NaN;
    const input = request.messages.map((m) => m.content).join('\n');
    const result = (finishReason: ChatResult['finishReason']): ChatResult => ({
      text,
      usage: { inputTokens: estimateTokens(input), outputTokens: estimateTokens(text), estimated: true },
      finishReason,
      model: this.chatModel.id,
      ttftMs,
      totalMs: Date.now() - started,
      attempts: 1,
    });
    try {
      if (request.signal?.aborted) throw new BackendError('aborted', 'Cancelled before anything was sent.');
      const response = await this.chatModel.sendRequest(
        toLmMessages(request.messages),
        { justification: 'Bantam sends the code and question you chose.' },
        cancel.token,
      );
      for await (const chunk of response.text) {
        if (request.signal?.aborted) break;
        if (!chunk) continue;
        if (Number.isNaN(ttftMs)) ttftMs = Date.now() - started;
        text += chunk;
        request.onText?.(chunk);
      }
      if (request.signal?.aborted && !text) throw new BackendError('aborted', 'Cancelled before the answer started.');
      return result(request.signal?.aborted ? 'abort' : 'stop');
    } catch (error) {
      if (request.signal?.aborted && text) return result('abort');
      if (request.signal?.aborted) throw new BackendError('aborted', 'Cancelled before the answer started.');
      throw backendErrorFrom(error, this.label);
    } finally {
      unlisten();
      cancel.dispose();
    }
  }

  dispose(): void {}
}
