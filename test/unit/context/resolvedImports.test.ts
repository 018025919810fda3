// Tests for ResolvedImports: an import is resolved once while the index and the clock stand still,
// and again once the index changes or the remembered answer has aged past its freshness.
import * as assert from 'node:assert/strict';
import { ResolvedImports } from '../../../src/core/context/resolvedImports';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';

describe('ResolvedImports', () => {
  it('remembers an answer until the index changes or it ages', () => {
    let version = 0;
    let now = 1000;
    const memo = new ResolvedImports(() => version, () => now, 5000);
    let calls = 0;
    const resolve = () => {
      calls++;
      return [`answer ${calls}`];
    };
    assert.deepEqual(memo.get('a.ts', 'typescript', './x', ['X'], resolve), ['answer 1']);
    assert.deepEqual(memo.get('a.ts', 'typescript', './x', ['X'], resolve), ['answer 1']);
    assert.deepEqual(memo.get('a.ts', 'typescript', './x', ['Y'], resolve), ['answer 2'], 'other names are another question');
    version++;
    assert.deepEqual(memo.get('a.ts', 'typescript', './x', ['X'], resolve), ['answer 3'], 'the index changed');
    now += 5000;
    assert.deepEqual(memo.get('a.ts', 'typescript', './x', ['X'], resolve), ['answer 4'], 'a manifest may have changed');
    assert.equal(calls, 4);
  });

  it("the index's version moves with every set, delete and rename", () => {
    const index = new WorkspaceIndex();
    const symbols = () => ({ language: 'typescript' as const, definitions: [], imports: [], identifiers: [], hasErrors: false });
    const seen = [index.version];
    index.set('a.ts', 'h1', symbols());
    seen.push(index.version);
    index.rename('a.ts', 'b.ts');
    seen.push(index.version);
    index.delete('b.ts');
    seen.push(index.version);
    assert.equal(new Set(seen).size, 4, JSON.stringify(seen));
  });
});
