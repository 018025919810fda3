// Tests for finding `path:line` references in a model's answer: path:12, path:12-30, path#L12,
// path#L12-L30 and bare paths, in backticks, links, parentheses or at a sentence's end; only files
// that exist count; URLs, `../` paths, longer paths that merely end in a known one, and prose yield
// nothing. Offsets are checked by the text they cover, since the answer view links exactly that.
import * as assert from 'node:assert/strict';
import { findFileReferences } from '../../../src/core/chat/fileReferences';

const FILES = new Set(['src/pricing.ts', 'src/checkout/cart.ts', 'README.md', 'main.go', '.github/workflows/ci.yml', 'lib.v2/index.js']);
const exists = (path: string) => FILES.has(path);

interface Found {
  covers: string;
  path: string;
  line?: number;
  endLine?: number;
}

function found(text: string): Found[] {
  return findFileReferences(text, exists).map((r) => {
    const f: Found = { covers: text.slice(r.start, r.start + r.length), path: r.path };
    if (r.line !== undefined) f.line = r.line;
    if (r.endLine !== undefined) f.endLine = r.endLine;
    return f;
  });
}

describe('findFileReferences', () => {
  const cases: { name: string; text: string; want: Found[] }[] = [
    { name: 'path:line', text: 'See src/pricing.ts:30 for it.', want: [{ covers: 'src/pricing.ts:30', path: 'src/pricing.ts', line: 30 }] },
    { name: 'path:start-end', text: 'src/pricing.ts:12-30', want: [{ covers: 'src/pricing.ts:12-30', path: 'src/pricing.ts', line: 12, endLine: 30 }] },
    { name: 'path#L12', text: 'at src/checkout/cart.ts#L12.', want: [{ covers: 'src/checkout/cart.ts#L12', path: 'src/checkout/cart.ts', line: 12 }] },
    { name: 'path#L12-L30', text: 'src/pricing.ts#L12-L30', want: [{ covers: 'src/pricing.ts#L12-L30', path: 'src/pricing.ts', line: 12, endLine: 30 }] },
    { name: 'a bare path', text: 'Read README.md first.', want: [{ covers: 'README.md', path: 'README.md' }] },
    { name: 'in backticks', text: 'In `src/pricing.ts:31`, the tax', want: [{ covers: 'src/pricing.ts:31', path: 'src/pricing.ts', line: 31 }] },
    { name: 'in a markdown link and parentheses', text: '[cart](src/checkout/cart.ts) (main.go:4)', want: [{ covers: 'src/checkout/cart.ts', path: 'src/checkout/cart.ts' }, { covers: 'main.go:4', path: 'main.go', line: 4 }] },
    { name: 'line and column: the line counts', text: 'main.go:4:2: undefined', want: [{ covers: 'main.go:4', path: 'main.go', line: 4 }] },
    { name: 'a ./ prefix', text: 'Open ./src/pricing.ts:3 now', want: [{ covers: './src/pricing.ts:3', path: 'src/pricing.ts', line: 3 }] },
    { name: 'a dot folder', text: 'CI is in .github/workflows/ci.yml:7', want: [{ covers: '.github/workflows/ci.yml:7', path: '.github/workflows/ci.yml', line: 7 }] },
    { name: 'a folder with a dot', text: 'lib.v2/index.js:1', want: [{ covers: 'lib.v2/index.js:1', path: 'lib.v2/index.js', line: 1 }] },
    {
      name: 'several in one answer, in order',
      text: 'computeTotal (`src/pricing.ts:30`) is called by `src/checkout/cart.ts:13`.',
      want: [
        { covers: 'src/pricing.ts:30', path: 'src/pricing.ts', line: 30 },
        { covers: 'src/checkout/cart.ts:13', path: 'src/checkout/cart.ts', line: 13 },
      ],
    },
    // Nothing to link:
    { name: 'a file that does not exist', text: 'src/missing.ts:3 and src/pricing.tsx', want: [] },
    { name: 'an http URL ending in a known path', text: 'https://example.com/src/pricing.ts#L3', want: [] },
    { name: 'a URL without a scheme', text: 'see example.com/src/pricing.ts', want: [] },
    { name: 'a longer path ending in a known one', text: 'vendor/src/pricing.ts:3', want: [] },
    { name: 'a ../ path', text: 'from ../src/pricing.ts:3', want: [] },
    { name: 'a known path followed by more path', text: 'src/pricing.ts/x src/pricing.ts-old', want: [] },
    { name: 'an email address', text: 'mail dev@README.md', want: [] },
    { name: 'prose with abbreviations and versions', text: 'Use v1.2, i.e. the newer one, etc. Costs 3.50 USD.', want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(found(c.text), c.want);
    });
  }

  it('asks only about paths, relative and without ./', () => {
    const asked: string[] = [];
    findFileReferences('See ./src/pricing.ts:3, https://x.org/a/b.ts and README.md.', (p) => (asked.push(p), false));
    assert.deepEqual(asked, ['src/pricing.ts', 'README.md']);
  });
});
