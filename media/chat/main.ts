// The chat webview app: lays out the header, the turns, the context chips and the input, keeps
// the view state, and speaks the typed protocol of src/core/chat/chatProtocol.ts. Every message
// from the extension goes through parseHostMessage; anything else is dropped with a warning that
// names its type only (never its content, which could be a prompt or a file).
import { describeRejected, parseHostMessage, type ChatViewState, type HostMessage } from '../../src/core/chat/chatProtocol';
import { ChipsRow } from './chipsRow';
import { el, icon, iconButton } from './dom';
import { FilePicker, type Pick } from './filePicker';
import { Header } from './header';
import { blockCode } from './markdown';
import { TurnsView } from './turns';
import { connectHost } from './vscodeApi';

const EMPTY: ChatViewState = { conversations: [], activeId: '', turns: [], chips: [], tier: 'auto', busy: false };

const host = connectHost();
const saved = host.load();
let state: ChatViewState = saved?.state ?? EMPTY;
// Where an `@` typed in the input opened the picker, so a pick can replace it with the chip.
let mentionAt: number | undefined;

const header = new Header({
  newConversation: () => host.post({ type: 'newConversation' }),
  openConversation: (id) => host.post({ type: 'openConversation', id }),
  deleteConversation: (id) => host.post({ type: 'deleteConversation', id }),
  setTier: (tier) => {
    state = { ...state, tier };
    persist();
    host.post({ type: 'setTier', tier });
  },
});

const notices = el('div', { class: 'notices', attrs: { role: 'status' } });
const turnsRoot = el('main', { class: 'turns', attrs: { 'aria-live': 'polite', 'aria-label': 'Conversation', role: 'log' } });
const turns = new TurnsView(turnsRoot, () => persist());

const picker = new FilePicker((query) => host.post({ type: 'searchFiles', query }));
const chips = new ChipsRow({
  remove: (chipId) => host.post({ type: 'removeChip', chipId }),
  addSelection: () => host.post({ type: 'addChip', kind: 'selection' }),
  addCurrentFile: () => host.post({ type: 'addChip', kind: 'file' }),
  pickFile: (opener) => openPicker(opener, false),
  addCodebase: () => host.post({ type: 'addChip', kind: 'codebase' }),
});

const input = el('textarea', {
  class: 'input',
  attrs: { rows: '3', 'aria-label': 'Ask Bantam', placeholder: 'Ask about your code (Enter to send, Shift+Enter for a new line, @ to add context)' },
});
input.value = saved?.draft ?? '';
const sendButton = iconButton('send', 'Send', { class: 'primary' });
const stopButton = iconButton('debug-stop', 'Stop', { class: 'stop', text: 'Stop' });

document.getElementById('app')!.append(
  header.root,
  notices,
  turnsRoot,
  el('footer', { class: 'composer' }, chips.root, picker.root,
    el('div', { class: 'input-row' }, input, el('div', { class: 'send-buttons' }, sendButton, stopButton))),
);

/** Saves what the view shows, at most every 250 ms: typing and streaming would otherwise save on every change. */
let persistTimer: ReturnType<typeof setTimeout> | undefined;
function persist(): void {
  persistTimer ??= setTimeout(() => {
    persistTimer = undefined;
    host.save({ state: { ...state, turns: [...turns.all] }, draft: input.value });
  }, 250);
}

function renderBusy(): void {
  sendButton.hidden = state.busy;
  stopButton.hidden = !state.busy;
  document.body.classList.toggle('busy', state.busy);
}

function renderAll(): void {
  header.update(state);
  turns.setAll(state.turns);
  chips.update(state.chips);
  renderBusy();
}

function send(): void {
  const text = input.value.trim();
  if (!text || state.busy) return;
  if (!host.post({ type: 'send', text, tier: header.tier.value as ChatViewState['tier'] })) {
    // The draft stays: nothing was sent.
    showNotice('error', 'This question is too long to send; shorten it or attach the code as a file instead.');
    return;
  }
  input.value = '';
  persist();
}

function openPicker(opener: HTMLElement, fromMention: boolean): void {
  if (!fromMention) mentionAt = undefined;
  picker.open({
    offerCodebase: fromMention,
    returnFocus: opener,
    onPick: (pick: Pick) => {
      if (mentionAt !== undefined && input.value[mentionAt] === '@') {
        input.value = input.value.slice(0, mentionAt) + input.value.slice(mentionAt + 1);
        input.setSelectionRange(mentionAt, mentionAt);
      }
      mentionAt = undefined;
      host.post(pick.kind === 'file' ? { type: 'addChip', kind: 'file', path: pick.path } : { type: 'addChip', kind: 'codebase' });
    },
  });
}

function showNotice(level: 'info' | 'warning' | 'error', text: string): void {
  const close = iconButton('close', 'Dismiss notice');
  const notice = el('div', { class: `notice notice-${level}`, attrs: level === 'error' ? { role: 'alert' } : {} },
    icon(level), el('span', { class: 'notice-text', text }), close);
  close.addEventListener('click', () => {
    notice.remove();
    input.focus();
  });
  notices.append(notice);
  // Keep a handful: a flood of notices must not push the conversation off the screen.
  while (notices.childElementCount > 3) notices.firstElementChild?.remove();
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      state = message.state;
      renderAll();
      break;
    case 'turnStarted':
      if (message.conversationId !== state.activeId) return;
      turns.add(message.turns);
      state = { ...state, busy: state.busy || turns.streaming };
      renderBusy();
      break;
    case 'delta':
      if (message.conversationId !== state.activeId) return;
      turns.appendDelta(message.turnId, message.text);
      return; // persisted when the batched render runs
    case 'turnRoute':
      if (message.conversationId !== state.activeId) return;
      turns.setRoute(message.turnId, message.route);
      return; // persisted when the batched render runs
    case 'turnEnded':
      if (message.conversationId !== state.activeId) return;
      turns.replace(message.turn);
      state = { ...state, busy: turns.streaming };
      renderBusy();
      break;
    case 'chips':
      state = { ...state, chips: message.chips };
      chips.update(message.chips);
      break;
    case 'filePicker':
      picker.results(message.query, message.items);
      return;
    case 'notice':
      showNotice(message.level, message.text);
      return;
    case 'focusInput':
      input.focus();
      return;
  }
  persist();
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    console.warn(`Bantam chat: dropped ${describeRejected(event.data)}`);
    return;
  }
  handle(message);
});

input.addEventListener('keydown', (e) => {
  if (e.isComposing) return;
  if (e.key === 'Enter' && (!e.shiftKey || e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    send();
  }
});
input.addEventListener('input', (e) => {
  persist();
  const data = (e as InputEvent).data;
  if (data !== '@') return;
  const at = input.selectionStart - 1;
  const before = at > 0 ? input.value[at - 1]! : '';
  if (input.value[at] === '@' && (before === '' || /\s/.test(before))) {
    mentionAt = at;
    openPicker(input, true);
  }
});
sendButton.addEventListener('click', () => send());
stopButton.addEventListener('click', () => host.post({ type: 'stop' }));

// Code-block buttons and file references live inside re-rendered markdown: delegate.
turnsRoot.addEventListener('click', (e) => {
  const target = e.target as Element;
  if (target.closest('a')) e.preventDefault();
  const button = target.closest<HTMLElement>('button[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  if (action === 'openFile') {
    host.post({ type: 'openFile', path: button.dataset.path ?? '', line: Number(button.dataset.line) || undefined });
    return;
  }
  const block = button.closest<HTMLElement>('.code-block');
  if (!block) return;
  const code = blockCode(block);
  if (action === 'copy') host.post({ type: 'copy', code });
  else if (action === 'insert') host.post({ type: 'insert', code });
  else if (action === 'apply') {
    host.post({ type: 'apply', code, language: block.dataset.lang || undefined, path: block.dataset.path || undefined });
  }
});

// Escape closes the picker or the history list; it never stops an answer.
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if (picker.isOpen) picker.close();
  else if (header.historyOpen) header.closeHistory(true);
});
// Nothing in the page may navigate it, whatever ends up in the DOM.
document.addEventListener('click', (e) => {
  if ((e.target as Element | null)?.closest?.('a')) e.preventDefault();
}, true);

renderAll();
host.post({ type: 'ready' });
