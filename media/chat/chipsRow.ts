// The context chips waiting for the next question (each removable, with its token count) and the
// buttons that add more: current selection, current file, @file (the picker), @codebase.
import type { ChipView } from '../../src/core/chat/chatProtocol';
import { el, icon, iconButton } from './dom';
import { chipIcon, chipLabel } from './turns';

export interface ChipActions {
  remove(chipId: string): void;
  addSelection(): void;
  addCurrentFile(): void;
  pickFile(opener: HTMLElement): void;
  addCodebase(): void;
}

export class ChipsRow {
  readonly root: HTMLElement;
  private readonly list: HTMLUListElement;

  constructor(private readonly actions: ChipActions) {
    this.list = el('ul', { class: 'chips', attrs: { 'aria-label': 'Context for the next question' } });
    const selection = iconButton('selection', 'Add the current selection', { text: 'Selection' });
    selection.addEventListener('click', () => actions.addSelection());
    const file = iconButton('file', 'Add the current file', { text: 'File' });
    file.addEventListener('click', () => actions.addCurrentFile());
    const pick = iconButton('mention', 'Add a file by name', { text: '@file' });
    pick.addEventListener('click', () => actions.pickFile(pick));
    const codebase = iconButton('database', 'Add context from the whole codebase', { text: '@codebase' });
    codebase.addEventListener('click', () => actions.addCodebase());
    this.root = el('div', { class: 'context' }, this.list,
      el('div', { class: 'add-context', attrs: { role: 'group', 'aria-label': 'Add context' } }, selection, file, pick, codebase));
  }

  update(chips: ChipView[]): void {
    this.list.replaceChildren(...chips.map((chip) => {
      const remove = iconButton('close', `Remove ${chip.label}`, { class: 'chip-remove' });
      remove.addEventListener('click', () => this.actions.remove(chip.id));
      return el('li', { class: 'chip' }, icon(chipIcon(chip)), el('span', { class: 'chip-label', text: chipLabel(chip) }), remove);
    }));
    this.list.hidden = chips.length === 0;
  }
}
