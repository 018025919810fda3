// Bantam's estimate of a conversation's prompt tokens, the one count the router (for the window),
// the chat prompt fitting and the providers (when a server reports no usage) all use.
import { estimateTokens } from './tokenEstimate';
import type { ChatMessage } from './chatTypes';

/** Chat templates add a few tokens of framing per message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateMessages(
  messages: readonly ChatMessage[],
  estimate: (text: string) => number = (text) => estimateTokens(text),
): number {
  return messages.reduce((sum, message) => sum + estimate(message.content) + MESSAGE_OVERHEAD_TOKENS, 0);
}
