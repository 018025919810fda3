// Where a workspace path really leads: inside the real root (and to which file), outside it through
// a link, or nowhere yet (a file that may be created there without writing through a link).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkContainment, linkSkipReason, type LinkVerdict } from '../../../src/core/context/linkContainment';

describe('LinkContainment', () => {
  let root: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'bantam-links-'));
    outside = mkdtempSync(join(tmpdir(), 'bantam-outside-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'a');
    writeFileSync(join(outside, 'secret.txt'), 's');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'out.ts'));
    symlinkSync('a.ts', join(root, 'src', 'alias.ts'));
    symlinkSync(outside, join(root, 'linked'));
    symlinkSync(join(outside, 'not-yet.txt'), join(root, 'src', 'dangling.ts'));
    symlinkSync(join(root, 'src'), join(root, 'src-link'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const cases: Array<[rel: string, expected: LinkVerdict]> = [
    ['src/a.ts', { kind: 'inside', realRel: 'src/a.ts' }],
    ['src/alias.ts', { kind: 'inside', realRel: 'src/a.ts' }],
    ['src-link/a.ts', { kind: 'inside', realRel: 'src/a.ts' }],
    ['src/out.ts', { kind: 'outside' }],
    ['linked/secret.txt', { kind: 'outside' }],
    ['src/dangling.ts', { kind: 'outside' }], // writing there would create a file outside
    ['linked/new/file.ts', { kind: 'outside' }], // created under a folder that leads out
    ['src/new.ts', { kind: 'missing' }],
    ['new-folder/deeper/new.ts', { kind: 'missing' }],
    ['new.ts', { kind: 'missing' }],
  ];
  for (const [rel, expected] of cases) {
    it(`${rel}: ${expected.kind}`, async () => {
      const links = new LinkContainment(root);
      assert.deepEqual(await links.judge(rel), expected);
      assert.deepEqual(links.judgeSync(rel), expected);
    });
  }

  it('judges a link by its target: the rules for the target decide', () => {
    const verdict: LinkVerdict = { kind: 'inside', realRel: '.env' };
    assert.equal(linkSkipReason(verdict, 'src/config.ts', (target) => (target === '.env' ? 'secret' : undefined)), 'secret');
    assert.equal(linkSkipReason({ kind: 'inside', realRel: 'src/a.ts' }, 'src/a.ts', () => 'secret'), undefined, 'not a link');
    assert.equal(linkSkipReason({ kind: 'outside' }, 'src/out.ts', () => undefined), 'outside');
    assert.equal(linkSkipReason({ kind: 'missing' }, 'src/new.ts', () => 'secret'), undefined);
  });
});
