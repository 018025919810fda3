// The gate every rendered HTML string passes before it reaches the page. markdown-it already runs
// with `html: false`, so model-written HTML arrives escaped; this is the second wall, an allowlist
// of the markup markdown produces and nothing else: no styles, forms, frames, SVG, MathML, images,
// event handlers, and URLs only http(s) or a fragment.
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'span', 'div', 'em', 'strong', 'del', 's', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub', 'kbd',
];
const ALLOWED_ATTR = ['href', 'class', 'title', 'start', 'data-lang', 'data-path'];
// Listed even though the allowlist already excludes them, so a future allowlist edit can't let them in.
const FORBID_TAGS = ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea',
  'select', 'svg', 'math', 'img', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base', 'template'];
const FORBID_ATTR = ['style', 'srcset', 'src', 'action', 'formaction', 'xlink:href'];

const purify = DOMPurify(window);

/** Sanitized nodes for `html`, owned by this document and ready to insert. */
export function sanitizeToFragment(html: string): DocumentFragment {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ALLOWED_URI_REGEXP: /^(?:https?:\/\/|#)/i,
    // DOMPurify checks every attribute outside its URI-safe list against the URL pattern above;
    // these carry plain values (a fence language, a path, a list start), never URLs.
    ADD_URI_SAFE_ATTR: ['data-lang', 'data-path', 'start'],
    RETURN_DOM_FRAGMENT: true,
  });
}
