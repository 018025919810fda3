// Small DOM helpers for the chat app. Every piece of text goes in through textContent, never
// through HTML strings: the only HTML the app inserts is sanitized markdown (see markdown.ts).

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** A codicon glyph; decorative, so hidden from screen readers (the button carries the label). */
export function icon(name: string, extra = ''): HTMLSpanElement {
  return el('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

/** A button showing an icon (and optional visible text); `label` is its accessible name and tooltip. */
export function iconButton(iconName: string, label: string, options: { text?: string; class?: string; action?: string } = {}): HTMLButtonElement {
  const button = el('button', {
    class: `icon-button${options.text ? ' with-text' : ''}${options.class ? ` ${options.class}` : ''}`,
    attrs: { type: 'button', 'aria-label': label, title: label },
  });
  button.append(icon(iconName));
  if (options.text) button.append(el('span', { class: 'button-text', text: options.text }));
  if (options.action) button.dataset.action = options.action;
  return button;
}
