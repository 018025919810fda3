// Model answers (untrusted markdown) -> sanitized DOM. markdown-it renders with raw HTML off, code
// fences go through highlight.js, images become text (the CSP would block them anyway, and a
// blocked load is still a request attempt), every string is sanitized (sanitize.ts), and then the
// nodes are finished by hand: links become plain text with their URL (the webview never
// navigates), `path:line` references become buttons, and code blocks get their action buttons.
import MarkdownIt from 'markdown-it';
import { MAX_SHORT } from '../../src/core/chat/chatProtocol';
import { findFileReferences } from '../../src/core/chat/fileReferences';
import { el, iconButton } from './dom';
import { escapeHtml, highlightCode } from './highlight';
import { sanitizeToFragment } from './sanitize';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** The language and optional target path of a fence info string: "ts src/a.ts", "ts:src/a.ts", "ts". */
export function parseFenceInfo(info: string): { language: string; path: string } {
  const words = info.trim().split(/\s+/).filter(Boolean);
  let language = words[0] ?? '';
  let path = words[1] ?? '';
  const colon = language.indexOf(':');
  if (!path && colon > 0) {
    path = language.slice(colon + 1);
    language = language.slice(0, colon);
  }
  // Only something that looks like a relative or absolute file path, never a URL or a quote.
  if (!/^[\w@.+\-/\\]+$/.test(path) || path.length > MAX_SHORT || /^[a-z][\w+.-]*:/i.test(path)) path = '';
  if (!/^[\w#+.-]{1,40}$/.test(language)) language = '';
  return { language: language.toLowerCase(), path };
}

function codeBlock(code: string, info: string): string {
  const { language, path } = parseFenceInfo(info);
  return `<div class="code-block" data-lang="${escapeHtml(language)}" data-path="${escapeHtml(path)}">` +
    `<pre><code class="hljs">${highlightCode(code, language)}</code></pre></div>\n`;
}

md.renderer.rules.fence = (tokens, idx) => codeBlock(tokens[idx]!.content, tokens[idx]!.info);
md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx]!.content, '');
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const src = String(token.attrGet('src') ?? '');
  return `<span class="md-image">[image: ${escapeHtml(alt)}]${src ? ` <span class="md-link-url">(${escapeHtml(src)})</span>` : ''}</span>`;
};
// Table alignment comes out as style="text-align:…", which the CSP (rightly) refuses: use classes.
md.core.ruler.push('bantam_align_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const align = /text-align:\s*(left|right|center)/.exec(String(token.attrGet('style') ?? ''))?.[1];
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) token.attrJoin('class', `align-${align}`);
  }
  return true;
});

/** The exact code of a rendered block (what Copy, Insert and Apply send). */
export function blockCode(block: Element): string {
  const code = block.querySelector('code')?.textContent ?? '';
  // markdown-it keeps the newline before the closing fence; it is not part of the code.
  return code.endsWith('\n') ? code.slice(0, -1) : code;
}

function replaceLinks(root: DocumentFragment): void {
  for (const link of Array.from(root.querySelectorAll('a'))) {
    const href = link.getAttribute('href') ?? '';
    const span = el('span', { class: 'md-link' });
    span.append(...Array.from(link.childNodes));
    const parts: Node[] = [span];
    if (/^https?:\/\//i.test(href) && span.textContent !== href) parts.push(el('span', { class: 'md-link-url', text: ` (${href})` }));
    link.replaceWith(...parts);
  }
}

function addCodeActions(root: DocumentFragment): void {
  for (const block of Array.from(root.querySelectorAll<HTMLElement>('div.code-block'))) {
    const language = block.dataset.lang ?? '';
    const path = block.dataset.path ?? '';
    const where = path ? ` to ${path}` : '';
    block.prepend(
      el('div', { class: 'code-toolbar' },
        el('span', { class: 'code-label', text: path || language || 'text' }),
        el('span', { class: 'spacer' }),
        iconButton('copy', 'Copy code', { action: 'copy', text: 'Copy' }),
        iconButton('insert', 'Insert code at cursor', { action: 'insert', text: 'Insert' }),
        iconButton('git-compare', `Apply code${where}`, { action: 'apply', text: 'Apply' }),
      ),
    );
  }
}

/** Turns `path:line` mentions in prose (not inside code blocks) into buttons that open the file. */
function linkFileReferences(root: DocumentFragment): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('pre, .md-link-url') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
  for (const textNode of texts) {
    const text = textNode.data;
    // The webview can't know which files exist, so only references with a line number count: a
    // bare "README.md" in prose stays prose; the extension checks the path when it opens it.
    const refs = findFileReferences(text, () => true).filter((r) => r.line !== undefined && r.path.length <= MAX_SHORT);
    if (refs.length === 0) continue;
    const parts: Node[] = [];
    let at = 0;
    for (const ref of refs) {
      if (ref.start > at) parts.push(document.createTextNode(text.slice(at, ref.start)));
      const label = text.slice(ref.start, ref.start + ref.length);
      const button = el('button', { class: 'file-ref', text: label, attrs: { type: 'button', title: `Open ${ref.path} at line ${ref.line}` } });
      button.dataset.action = 'openFile';
      button.dataset.path = ref.path;
      button.dataset.line = String(ref.line);
      parts.push(button);
      at = ref.start + ref.length;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    textNode.replaceWith(...parts);
  }
}

/** Sanitized, finished DOM for an untrusted markdown answer. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const fragment = sanitizeToFragment(md.render(markdown));
  replaceLinks(fragment);
  linkFileReferences(fragment);
  addCodeActions(fragment);
  return fragment;
}
