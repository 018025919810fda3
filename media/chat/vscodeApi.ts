// The webview's side of the VS Code API: posting typed messages to the extension and keeping the
// view state VS Code hands back when a hidden panel is shown again.
import { describeRejected, parseHostMessage, parseViewMessage, type ChatViewState, type ViewMessage } from '../../src/core/chat/chatProtocol';

/** What the webview keeps across being hidden: the last state and the unsent draft. */
export interface SavedState {
  state: ChatViewState;
  draft: string;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  /** False when the message was not sent (it failed the protocol's checks, e.g. an oversized draft). */
  post(message: ViewMessage): boolean;
  load(): SavedState | undefined;
  save(saved: SavedState): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post(message) {
      // The extension checks every message too; checking here keeps a runaway draft from being sent
      // only to be dropped on the other side without the user knowing.
      if (!parseViewMessage(message)) {
        console.warn(`Bantam chat: not sending ${describeRejected(message)}`);
        return false;
      }
      api.postMessage(message);
      return true;
    },
    load() {
      const saved = api.getState() as Partial<SavedState> | undefined;
      if (!saved || typeof saved !== 'object') return undefined;
      // The saved state is our own, but it passes through VS Code storage: check it like a message.
      const checked = parseHostMessageState(saved.state);
      return checked ? { state: checked, draft: typeof saved.draft === 'string' ? saved.draft : '' } : undefined;
    },
    save(saved) {
      api.setState(saved);
    },
  };
}

function parseHostMessageState(state: unknown): ChatViewState | undefined {
  const parsed = parseHostMessage({ type: 'state', state });
  return parsed?.type === 'state' ? parsed.state : undefined;
}
