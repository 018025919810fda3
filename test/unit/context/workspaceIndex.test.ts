// Tests for the in-memory workspace index: the name -> definitions map stays in step with set,
// replace, delete and rename; answers come in (file, line) order whatever the history; identical
// strings are shared; the import-resolution file set follows the indexed paths.
import * as assert from 'node:assert/strict';
import type { DefinitionKind, FileSymbols } from '../../../src/core/context/contextTypes';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';

function symbols(defs: [name: string, kind: DefinitionKind, line: number, container?: string][]): FileSymbols {
  return {
    language: 'typescript',
    definitions: defs.map(([name, kind, line, container]) => ({
      name,
      kind,
      startLine: line,
      endLine: line + 2,
      signature: `${kind} ${name}`,
      ...(container ? { container } : {}),
    })),
    imports: [{ source: './util', names: ['helper'], line: 1 }],
    identifiers: ['helper', 'total'],
    hasErrors: false,
  };
}

const where = (index: WorkspaceIndex, name: string): string[] =>
  index.definitionsNamed(name).map((d) => `${d.file}:${d.startLine}`);

describe('WorkspaceIndex', () => {
  it('finds definitions by exact name, with file and language, in (file, line) order', () => {
    const index = new WorkspaceIndex();
    index.set('src/b.ts', 'h2', symbols([['total', 'function', 5]]));
    index.set('src/a.ts', 'h1', symbols([['total', 'function', 9], ['Cart', 'class', 1], ['total', 'method', 3, 'Cart']]));
    assert.deepEqual(where(index, 'total'), ['src/a.ts:9', 'src/a.ts:3', 'src/b.ts:5'].sort(byFileThenLine));
    const method = index.definitionsNamed('total').find((d) => d.kind === 'method');
    assert.equal(method?.container, 'Cart');
    assert.equal(method?.file, 'src/a.ts');
    assert.equal(method?.language, 'typescript');
    assert.deepEqual(where(index, 'Total'), [], 'names are exact, case included');
    assert.equal(index.size, 2);
    assert.equal(index.definitions, 4);
  });

  const cases: { name: string; apply: (index: WorkspaceIndex) => void; total: string[]; files: string[] }[] = [
    {
      name: 'replacing a file drops its old definitions',
      apply: (i) => i.set('a.ts', 'h9', symbols([['subtotal', 'function', 2]])),
      total: ['b.ts:5'],
      files: ['a.ts', 'b.ts'],
    },
    { name: 'delete removes the file everywhere', apply: (i) => i.delete('a.ts'), total: ['b.ts:5'], files: ['b.ts'] },
    {
      name: 'rename moves definitions and keeps the order by path',
      apply: (i) => i.rename('a.ts', 'z.ts'),
      total: ['b.ts:5', 'z.ts:1'],
      files: ['b.ts', 'z.ts'],
    },
    {
      name: 'rename onto an indexed path replaces it',
      apply: (i) => i.rename('a.ts', 'b.ts'),
      total: ['b.ts:1'],
      files: ['b.ts'],
    },
    { name: 'deleting an unknown file changes nothing', apply: (i) => i.delete('nope.ts'), total: ['a.ts:1', 'b.ts:5'], files: ['a.ts', 'b.ts'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const index = new WorkspaceIndex();
      index.set('a.ts', 'h1', symbols([['total', 'function', 1]]));
      index.set('b.ts', 'h2', symbols([['total', 'function', 5]]));
      c.apply(index);
      assert.deepEqual(where(index, 'total'), c.total);
      assert.deepEqual([...index.files()].sort(), c.files);
      for (const f of c.files) assert.ok(index.fileSet.has(f), `${f} in the import file set`);
      for (const f of ['a.ts', 'b.ts', 'z.ts'].filter((f) => !c.files.includes(f))) {
        assert.ok(!index.fileSet.has(f), `${f} not in the import file set`);
        assert.equal(index.get(f), undefined);
      }
    });
  }

  it('keeps the definition count and name map consistent through many edits', () => {
    const index = new WorkspaceIndex();
    for (let round = 0; round < 3; round++) {
      for (let f = 0; f < 20; f++) index.set(`f${f}.ts`, `h${round}-${f}`, symbols([['shared', 'function', f + 1], [`own${f}`, 'class', 1]]));
      for (let f = 0; f < 20; f += 3) index.delete(`f${f}.ts`);
      for (let f = 1; f < 20; f += 3) index.rename(`f${f}.ts`, `moved/f${f}.ts`);
    }
    const files = [...index.files()];
    assert.equal(index.definitions, files.length * 2);
    assert.equal(index.definitionsNamed('shared').length, files.length);
    assert.deepEqual(
      index.definitionsNamed('shared').map((d) => d.file),
      [...files].sort(),
    );
    assert.deepEqual(index.definitionsNamed('own0'), []);
  });

  it('shares one string instance for names repeated across files', () => {
    const index = new WorkspaceIndex();
    const a = symbols([['total', 'function', 1]]);
    const b = symbols([['total', 'function', 1]]);
    // Build distinct string instances with equal content.
    b.definitions[0].name = ['to', 'tal'].join('');
    b.identifiers = ['hel' + 'per'.slice(0), ['to', 'tal'].join('')];
    index.set('a.ts', 'h1', a);
    index.set('b.ts', 'h2', b);
    assert.equal(index.get('b.ts')?.symbols.identifiers[1], a.definitions[0].name);
    const before = index.internedStrings;
    index.set('c.ts', 'h3', symbols([['total', 'function', 1]]));
    assert.equal(index.internedStrings, before, 'no new strings for a file repeating known names');
  });

  it('returns the stored hash and symbols', () => {
    const index = new WorkspaceIndex();
    const s = symbols([['total', 'function', 1]]);
    index.set('a.ts', 'abc', s);
    assert.equal(index.hashOf('a.ts'), 'abc');
    assert.equal(index.get('a.ts')?.symbols, s);
    assert.ok(index.has('a.ts'));
    assert.ok(!index.has('b.ts'));
  });
});

function byFileThenLine(a: string, b: string): number {
  const [fa, la] = a.split(':');
  const [fb, lb] = b.split(':');
  return fa < fb ? -1 : fa > fb ? 1 : Number(la) - Number(lb);
}
