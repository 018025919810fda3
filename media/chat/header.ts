// The header: the conversation's title, New conversation, the History list (open / delete), and
// the tier picker (auto | local | frontier).
import type { ChatViewState, ConversationSummary } from '../../src/core/chat/chatProtocol';
import type { TierChoice } from '../../src/core/kernel/taskKinds';
import { el, iconButton } from './dom';

export interface HeaderActions {
  newConversation(): void;
  openConversation(id: string): void;
  deleteConversation(id: string): void;
  setTier(tier: TierChoice): void;
}

const TIERS: { value: TierChoice; label: string }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'local', label: 'Local' },
  { value: 'frontier', label: 'Frontier' },
];

export class Header {
  readonly root: HTMLElement;
  readonly tier: HTMLSelectElement;
  private readonly title: HTMLElement;
  private readonly historyButton: HTMLButtonElement;
  private readonly history: HTMLElement;
  private conversations: ConversationSummary[] = [];
  private activeId = '';

  constructor(private readonly actions: HeaderActions) {
    this.title = el('h1', { class: 'title', text: 'New conversation' });
    const newButton = iconButton('add', 'New conversation');
    newButton.addEventListener('click', () => actions.newConversation());
    this.historyButton = iconButton('history', 'Conversation history');
    this.historyButton.setAttribute('aria-expanded', 'false');
    this.historyButton.setAttribute('aria-controls', 'history');
    this.historyButton.addEventListener('click', () => this.toggleHistory());
    this.tier = el('select', { class: 'tier', attrs: { 'aria-label': 'Model tier', title: 'Which models answer' } },
      ...TIERS.map((t) => el('option', { text: t.label, attrs: { value: t.value } })));
    this.tier.addEventListener('change', () => actions.setTier(this.tier.value as TierChoice));
    this.history = el('div', { class: 'history', attrs: { id: 'history', role: 'region', 'aria-label': 'Conversations' } });
    this.history.hidden = true;
    this.history.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeHistory(true);
      }
    });
    this.root = el('header', { class: 'header' },
      el('div', { class: 'header-row' }, this.title, el('span', { class: 'spacer' }), newButton, this.historyButton, this.tier),
      this.history);
  }

  update(state: ChatViewState): void {
    this.conversations = state.conversations;
    this.activeId = state.activeId;
    const active = state.conversations.find((c) => c.id === state.activeId);
    this.title.textContent = active?.title || 'New conversation';
    this.title.title = this.title.textContent;
    this.tier.value = state.tier;
    if (!this.history.hidden) this.renderHistory();
  }

  get historyOpen(): boolean {
    return !this.history.hidden;
  }

  closeHistory(restoreFocus: boolean): void {
    if (this.history.hidden) return;
    this.history.hidden = true;
    this.historyButton.setAttribute('aria-expanded', 'false');
    if (restoreFocus) this.historyButton.focus();
  }

  private toggleHistory(): void {
    if (!this.history.hidden) return this.closeHistory(false);
    this.history.hidden = false;
    this.historyButton.setAttribute('aria-expanded', 'true');
    this.renderHistory();
  }

  private renderHistory(): void {
    if (this.conversations.length === 0) {
      this.history.replaceChildren(el('p', { class: 'history-empty', text: 'No saved conversations yet.' }));
      return;
    }
    const sorted = [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
    this.history.replaceChildren(el('ul', { class: 'history-list' }, ...sorted.map((c) => {
      const when = new Date(c.updatedAt).toLocaleString();
      const open = el('button', { class: 'history-open', attrs: { type: 'button', title: `Open "${c.title}" (${when})` } },
        el('span', { class: 'history-title', text: c.title || 'Untitled' }),
        el('span', { class: 'history-detail', text: `${c.turns} turns · ${when}` }));
      if (c.id === this.activeId) open.setAttribute('aria-current', 'true');
      open.addEventListener('click', () => {
        this.closeHistory(false);
        this.actions.openConversation(c.id);
      });
      const remove = iconButton('trash', `Delete conversation "${c.title}"`);
      remove.addEventListener('click', () => this.actions.deleteConversation(c.id));
      return el('li', { class: 'history-item' }, open, remove);
    })));
  }
}
