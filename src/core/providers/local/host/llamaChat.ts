// Chat on the llama worker: renders a conversation with the model's own chat template (the GGUF's
// `tokenizer.chat_template`, or a wrapper node-llama-cpp recognises from the file), falling back to
// ChatML for a model that has none, and runs it through the same generator and the same single
// context sequence as completions, so abort, timeout, stop strings and streaming behave alike.
//
// Sharing the one sequence means a chat replaces the completion prompt in the KV cache: the next
// completion shares no prefix with it and reads its prompt again once. A follow-up chat turn, whose
// rendering starts with the previous turn's, reuses that prefix the same way completions do.

import type {
  ChatHistoryItem,
  ChatWrapper,
  LlamaText,
  Token,
} from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { GenerationResult } from '../../../kernel/completionTypes';
import type { ChatMessage } from '../../../kernel/chatTypes';
import type { GenerationEvents, LlamaGenerator, RunJob } from './llamaGenerator';
import type { LoadedModel } from './llamaModelLoader';
import { WorkerError } from './workerError';

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });

/** A chat request as the worker tracks it while it waits and runs. */
export interface ChatJob extends RunJob {
  messages: ChatMessage[];
}

/** A conversation as prompt tokens, with the template's end-of-turn markers that are plain text. */
export interface RenderedChat {
  tokens: Token[];
  stops: string[];
  /** Which template rendered it, for the log. */
  template: string;
}

/** The shared chat roles in node-llama-cpp's history shape; an open model turn is what gets generated. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    switch (m.role) {
      case 'system':
        return { type: 'system', text: m.content };
      case 'user':
        return { type: 'user', text: m.content };
      case 'assistant':
        return { type: 'model', response: [m.content] };
    }
  });
  // A conversation that ends with an assistant message asks for that message to be continued.
  if (messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  return history;
}

/**
 * The stop triggers that can be matched on generated text. Triggers holding a builtin special token
 * (EOS, EOT) are end-of-generation tokens, which the generator stops at anyway; special-token text
 * such as `<|im_end|>` stays a trigger, because a model without that token writes it as plain text.
 */
export function textStopTriggers(triggers: readonly LlamaText[]): string[] {
  const out = new Set<string>();
  for (const trigger of triggers) {
    let text = '';
    let textual = true;
    for (const value of trigger.values) {
      if (typeof value === 'string') text += value;
      else {
        const json = value.toJSON();
        if (json.type === 'specialTokensText') text += json.value;
        else textual = false;
      }
    }
    if (textual && text.length > 0) out.add(text);
  }
  return [...out];
}

export function chatTooLong(promptTokens: number, contextSize: number): WorkerError {
  return new WorkerError(
    'prompt-too-long',
    `The prompt is ${promptTokens} tokens but the embedded model's window is ${contextSize}; use a frontier model or raise bantam.embedded.contextSize.`,
  );
}

export class LlamaChatRunner {
  private template: Promise<ChatWrapper> | undefined;
  private fallback: ChatWrapper | undefined;

  constructor(
    private readonly loaded: LoadedModel,
    private readonly generator: LlamaGenerator,
    private readonly log: (line: string) => void,
  ) {}

  async chat(job: ChatJob, events: GenerationEvents): Promise<GenerationResult> {
    const rendered = await this.render(job.messages);
    return this.generator.run(job, rendered.tokens, rendered.stops, events, chatTooLong);
  }

  async render(messages: readonly ChatMessage[]): Promise<RenderedChat> {
    const history = toChatHistory(messages);
    const wrapper = await this.wrapper();
    try {
      return this.renderWith(wrapper, history);
    } catch (e) {
      // A Jinja template can refuse a conversation it doesn't expect (e.g. roles that don't
      // alternate); an answer in a generic format beats no answer.
      this.log(`chat template ${wrapper.wrapperName} failed (${(e as Error).message}); using ChatML`);
      return this.renderWith(this.fallback!, history);
    }
  }

  private renderWith(wrapper: ChatWrapper, history: ChatHistoryItem[]): RenderedChat {
    const { contextText, stopGenerationTriggers } = wrapper.generateContextState({ chatHistory: history });
    return {
      tokens: contextText.tokenize(this.loaded.model.tokenizer),
      stops: textStopTriggers(stopGenerationTriggers),
      template: wrapper.wrapperName,
    };
  }

  /** Resolved once per loaded model, on the first chat: completions never pay for it. */
  private wrapper(): Promise<ChatWrapper> {
    this.template ??= this.resolve();
    return this.template;
  }

  private async resolve(): Promise<ChatWrapper> {
    const nlc: NodeLlamaCpp = await import('node-llama-cpp');
    const { model, llama } = this.loaded;
    this.fallback = new nlc.ChatMLChatWrapper();
    let resolved: ChatWrapper | null = null;
    try {
      resolved = nlc.resolveChatWrapper({
        bosString: model.tokens.bosString,
        architecture: model.fileInfo.metadata?.general?.architecture,
        filename: model.filename,
        fileInfo: model.fileInfo,
        tokenizer: model.tokenizer,
        warningLogs: false,
        llama,
      });
    } catch (e) {
      this.log(`chat template could not be resolved (${(e as Error).message})`);
    }
    const wrapper = resolved ?? this.fallback;
    this.log(`chat template: ${resolved ? wrapper.wrapperName : 'none in the model, using ChatML'}`);
    return wrapper;
  }
}
