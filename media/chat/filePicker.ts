// The @file picker: a search box over a listbox. Typing asks the extension to search
// (`searchFiles`); its `filePicker` answer fills the list (answers to an older query are dropped).
// Arrows move, Enter or a click picks, Escape closes. When opened from an `@` typed in the input,
// it also offers @codebase while the query is empty or a prefix of "codebase".
import { el, icon } from './dom';

export interface PickerItem {
  path: string;
  detail?: string;
}

export type Pick = { kind: 'file'; path: string } | { kind: 'codebase' };

interface Option {
  pick: Pick;
  label: string;
  detail?: string;
}

export class FilePicker {
  readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private options: Option[] = [];
  private files: PickerItem[] = [];
  private active = 0;
  private offerCodebase = false;
  private returnFocus: HTMLElement | undefined;
  private onPick: ((pick: Pick) => void) | undefined;

  constructor(private readonly search: (query: string) => void) {
    this.input = el('input', {
      class: 'picker-input',
      attrs: {
        type: 'text', role: 'combobox', 'aria-label': 'Search files to add as context', 'aria-autocomplete': 'list',
        'aria-controls': 'picker-list', 'aria-expanded': 'true', placeholder: 'Search files…', spellcheck: 'false',
      },
    });
    this.list = el('ul', { class: 'picker-list', attrs: { id: 'picker-list', role: 'listbox', 'aria-label': 'Files' } });
    this.status = el('div', { class: 'picker-status', attrs: { role: 'status' } });
    this.root = el('div', { class: 'picker', attrs: { role: 'dialog', 'aria-label': 'Add context' } }, this.input, this.list, this.status);
    this.root.hidden = true;

    this.input.addEventListener('input', () => this.query(this.input.value));
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', (e) => {
      // Clicking an option keeps the picker; moving focus anywhere else closes it.
      if (!(e.relatedTarget instanceof Node && this.root.contains(e.relatedTarget))) this.close(false);
    });
    // mousedown would blur the input before the click lands.
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('[role=option]');
      if (item?.dataset.index) this.pick(Number(item.dataset.index));
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  open(options: { offerCodebase: boolean; returnFocus: HTMLElement; onPick: (pick: Pick) => void }): void {
    this.offerCodebase = options.offerCodebase;
    this.returnFocus = options.returnFocus;
    this.onPick = options.onPick;
    this.files = [];
    this.input.value = '';
    this.root.hidden = false;
    this.input.focus();
    this.query('');
  }

  /** Closes the picker; focus goes back where it came from unless the user moved it elsewhere. */
  close(restoreFocus = true): void {
    if (this.root.hidden) return;
    this.root.hidden = true;
    this.onPick = undefined;
    if (restoreFocus) this.returnFocus?.focus();
  }

  /** The extension's answer to a search. */
  results(query: string, items: PickerItem[]): void {
    if (!this.isOpen || query !== this.input.value) return;
    this.files = items;
    this.active = 0;
    this.renderOptions();
  }

  private query(query: string): void {
    this.active = 0;
    this.renderOptions();
    this.search(query);
  }

  private renderOptions(): void {
    const q = this.input.value.trim().toLowerCase();
    this.options = [];
    if (this.offerCodebase && 'codebase'.startsWith(q.replace(/^@/, ''))) {
      this.options.push({ pick: { kind: 'codebase' }, label: '@codebase', detail: 'search the whole workspace' });
    }
    for (const f of this.files) this.options.push({ pick: { kind: 'file', path: f.path }, label: f.path, detail: f.detail });
    this.active = Math.min(this.active, Math.max(0, this.options.length - 1));
    this.list.replaceChildren(...this.options.map((o, i) => {
      const item = el('li', {
        class: 'picker-option',
        attrs: { role: 'option', id: `picker-option-${i}`, 'aria-selected': String(i === this.active) },
      }, icon(o.pick.kind === 'codebase' ? 'database' : 'file'), el('span', { class: 'picker-label', text: o.label }),
      o.detail ? el('span', { class: 'picker-detail', text: o.detail }) : null);
      item.dataset.index = String(i);
      return item;
    }));
    if (this.options.length) this.input.setAttribute('aria-activedescendant', `picker-option-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
    this.status.textContent = this.options.length ? `${this.options.length} results` : 'No matching files';
  }

  private move(by: number): void {
    if (this.options.length === 0) return;
    this.active = (this.active + by + this.options.length) % this.options.length;
    this.renderOptions();
    this.list.querySelector(`#picker-option-${this.active}`)?.scrollIntoView({ block: 'nearest' });
  }

  private pick(index: number): void {
    const option = this.options[index];
    const onPick = this.onPick;
    if (!option || !onPick) return;
    this.close();
    onPick(option.pick);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.isComposing) return;
    if (e.key === 'ArrowDown') this.move(1);
    else if (e.key === 'ArrowUp') this.move(-1);
    else if (e.key === 'Enter') this.pick(this.active);
    else if (e.key === 'Escape') this.close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
}
