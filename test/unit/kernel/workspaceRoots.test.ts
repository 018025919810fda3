// Tests for how paths name files across workspace folders: plain with one folder, `name/...` with
// several, colliding names told apart, unknown folders naming nothing, the innermost folder of a
// nested pair naming its files.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { uniqueFolderNames, WorkspaceRoots } from '../../../src/core/kernel/workspaceRoots';

const base = path.resolve('/work/space');
const at = (...parts: string[]) => path.join(base, ...parts);

describe('WorkspaceRoots', () => {
  it('with one folder, paths are plain relative paths', () => {
    const roots = new WorkspaceRoots([{ name: 'app', root: at('app') }]);
    assert.equal(roots.multi, false);
    assert.equal(roots.pathOf(roots.folders[0]!, 'src/a.ts'), 'src/a.ts');
    assert.deepEqual(roots.locate('src/a.ts'), { folder: roots.folders[0], rel: 'src/a.ts' });
    assert.equal(roots.locate('app/src/a.ts')?.rel, 'app/src/a.ts', 'a folder-named first segment is just a folder');
    assert.equal(roots.pathOfAbsolute(at('app', 'src', 'a.ts')), 'src/a.ts');
    assert.equal(roots.absolute('src/a.ts'), at('app', 'src', 'a.ts'));
  });

  it('with several, paths carry their folder\'s name and resolve back to it', () => {
    const roots = new WorkspaceRoots([
      { name: 'app', root: at('app') },
      { name: 'lib', root: at('packages', 'lib') },
    ]);
    assert.equal(roots.multi, true);
    assert.equal(roots.pathOfAbsolute(at('packages', 'lib', 'src', 'm.ts')), 'lib/src/m.ts');
    assert.equal(roots.pathOfAbsolute(at('app', 'x.ts')), 'app/x.ts');
    assert.equal(roots.pathOfAbsolute(at('elsewhere', 'x.ts')), undefined);
    assert.equal(roots.pathOfAbsolute(at('app')), undefined, 'a root is not a file');
    assert.equal(roots.absolute('lib/src/m.ts'), at('packages', 'lib', 'src', 'm.ts'));
    assert.equal(roots.locate('lib')?.rel, '');
    assert.equal(roots.locate('src/m.ts'), undefined, 'no folder named src');
    assert.equal(roots.locate('Lib/src/m.ts'), undefined, 'names match exactly');
  });

  it('tells colliding names apart in folder order, ignoring case', () => {
    assert.deepEqual(uniqueFolderNames(['app', 'app', 'App', 'app-2']), ['app', 'app-2', 'App-3', 'app-2-2']);
    const roots = new WorkspaceRoots([
      { name: 'app', root: at('one', 'app') },
      { name: 'app', root: at('two', 'app') },
    ]);
    assert.deepEqual(roots.folders.map((f) => f.name), ['app', 'app-2']);
    assert.equal(roots.pathOfAbsolute(at('two', 'app', 'a.ts')), 'app-2/a.ts');
    assert.equal(roots.absolute('app-2/a.ts'), at('two', 'app', 'a.ts'));
  });

  it('makes every name a usable first segment', () => {
    assert.deepEqual(uniqueFolderNames(['a/b', 'c\\d', '', '..', ' x ']), ['a-b', 'c-d', 'folder', 'folder-2', 'x']);
    assert.equal(new WorkspaceRoots([{ root: at('named-by-base') }]).folders[0]!.name, 'named-by-base');
  });

  it('a nested folder names its own files, is pruned from the outer one, and knows the folder around it', () => {
    const roots = new WorkspaceRoots([
      { name: 'app', root: at('app') },
      { name: 'core', root: at('app', 'packages', 'core') },
    ]);
    assert.equal(roots.pathOfAbsolute(at('app', 'packages', 'core', 'i.ts')), 'core/i.ts');
    assert.deepEqual(roots.nestedIn(roots.folders[0]!), ['packages/core']);
    assert.deepEqual(roots.nestedIn(roots.folders[1]!), []);
    assert.deepEqual(roots.enclosing(roots.folders[1]!), [{ folder: roots.folders[0], prefix: 'packages/core' }]);
    assert.deepEqual(roots.enclosing(roots.folders[0]!), []);
  });
});
