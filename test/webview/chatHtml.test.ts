// The webview page's HTML (src/vscode/chatHtml.ts): a strict CSP, one nonce'd script, nothing
// inline. Checked as text here; the other webview suites load this same page in Chromium.
import * as assert from 'node:assert/strict';
import { chatCsp, chatHtml } from '../../src/vscode/chatHtml';

const OPTIONS = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2UtdmFsdWU=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/chat.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/chat.css',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/codicon.css',
};

describe('chatHtml', () => {
  const html = chatHtml(OPTIONS);

  it('sets exactly the strict Content-Security-Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, chatCsp(OPTIONS.cspSource, OPTIONS.nonce));
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${OPTIONS.nonce}'; style-src ${OPTIONS.cspSource}; font-src ${OPTIONS.cspSource}; img-src ${OPTIONS.cspSource}; base-uri 'none'; form-action 'none';`);
  });

  it('loads one script, carrying the nonce, and the two stylesheets', () => {
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), [`<script nonce="${OPTIONS.nonce}" src="${OPTIONS.scriptUri}">`]);
    assert.deepEqual([...html.matchAll(/<link rel="stylesheet" href="([^"]*)">/g)].map((m) => m[1]), [OPTIONS.codiconsUri, OPTIONS.styleUri]);
  });

  const forbidden: [string, RegExp][] = [
    ['unsafe-inline', /unsafe-inline/],
    ['unsafe-eval', /unsafe-eval/],
    ['inline handler', /\son[a-z]+\s*=/i],
    ['style attribute or element', /\sstyle\s*=|<style/i],
    ['inline script body', /<script[^>]*>[^<]+<\/script>/],
    ['remote origin', /https?:\/\/(?!file\+\.vscode-resource)/],
  ];
  for (const [name, pattern] of forbidden) {
    it(`has no ${name}`, () => assert.doesNotMatch(html, pattern));
  }

  it('escapes attribute values and refuses a nonce that could break out of the policy', () => {
    const page = chatHtml({ ...OPTIONS, scriptUri: 'x" onload="alert(1)' });
    assert.ok(page.includes('src="x&quot; onload=&quot;alert(1)"'));
    assert.throws(() => chatHtml({ ...OPTIONS, nonce: "abc'; script-src *" }), /nonce/);
  });
});
