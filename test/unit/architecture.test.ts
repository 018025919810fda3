// Guards the layering of DESIGN.md: src/core and src/workers run in plain Node, so they never import
// `vscode` or the vscode adapter layer, and core never imports the other entry points (workers, cli,
// media); core/kernel imports nothing else of ours; a feature (completion, chat, nextEdit) never
// imports another feature and no capability imports a feature; and no folders in src/ import each
// other in a circle.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every module specifier a file imports, requires or dynamically imports. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,]+\s+from\s+['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

describe('architecture', () => {
  it('finds the import forms it checks for', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "import type { X } from \"vscode\";",
      "const v = require('vscode');",
      "const w = await import('vscode');",
      "export { Y } from '../vscode/statusBar';",
    ].join('\n');
    assert.deepEqual(importsOf(sample).sort(), ['../vscode/statusBar', 'vscode', 'vscode', 'vscode', 'vscode']);
  });

  for (const layer of ['src/core', 'src/workers']) {
    it(`${layer} never imports vscode or the vscode layer`, () => {
      const files = sourceFiles(layer);
      assert.ok(files.length > 0, `${layer} has source files`);
      const offenders = files.flatMap((file) =>
        importsOf(fs.readFileSync(path.join(root, file), 'utf8'))
          // `vscode`, our vscode/ layer, and VS Code-only packages (@vscode/*), which plain Node can't load.
          .filter((spec) => spec === 'vscode' || spec.startsWith('@vscode/') || /(^|\/)vscode(\/|$)/.test(spec))
          .map((spec) => `${file} imports ${spec}`),
      );
      assert.deepEqual(offenders, []);
    });
  }

  it('src/core/kernel imports nothing else of ours (every other folder may build on it)', () => {
    const files = sourceFiles('src/core/kernel');
    assert.ok(files.length > 0, 'src/core/kernel has source files');
    const offenders = files.flatMap((file) =>
      importsOf(fs.readFileSync(path.join(root, file), 'utf8'))
        .filter((spec) => spec.startsWith('.') && !path.resolve(path.dirname(path.join(root, file)), spec).startsWith(path.join(root, 'src/core/kernel') + path.sep))
        .map((spec) => `${file} imports ${spec}`),
    );
    assert.deepEqual(offenders, []);
  });

  /** The relative imports of every source file under src/, resolved to files (repo-relative). */
  function importGraph(): Array<{ from: string; to: string }> {
    const edges: Array<{ from: string; to: string }> = [];
    for (const file of sourceFiles('src')) {
      for (const spec of importsOf(fs.readFileSync(path.join(root, file), 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.join(path.dirname(file), spec);
        const resolved = [`${target}.ts`, path.join(target, 'index.ts')].find((f) => fs.existsSync(path.join(root, f)));
        if (resolved) edges.push({ from: file, to: resolved });
      }
    }
    return edges;
  }

  /** The folder of src/core a file belongs to ('core' for files directly in src/core), or undefined outside core. */
  function coreArea(file: string): string | undefined {
    const parts = file.split(path.sep);
    if (parts[0] !== 'src' || parts[1] !== 'core') return undefined;
    return parts.length > 3 ? parts[2] : 'core';
  }

  const FEATURES = ['completion', 'chat', 'nextEdit'];

  it('src/core never imports the other entry points: src/workers, src/cli, media', () => {
    const offenders = importGraph()
      .filter(({ from, to }) => from.startsWith(`src${path.sep}core${path.sep}`) && !to.startsWith(`src${path.sep}core${path.sep}`))
      .map(({ from, to }) => `${from} imports ${to}`);
    assert.deepEqual(offenders, []);
  });

  it('a feature never imports another feature, and no capability imports a feature', () => {
    const offenders = importGraph()
      .filter(({ from, to }) => {
        const a = coreArea(from);
        const b = coreArea(to);
        return a !== undefined && b !== undefined && a !== b && FEATURES.includes(b);
      })
      .map(({ from, to }) => `${from} imports ${to}`);
    assert.deepEqual(offenders, []);
  });

  it('no folders inside src/ import each other in a circle', () => {
    const next = new Map<string, Set<string>>();
    for (const { from, to } of importGraph()) {
      const a = path.dirname(from);
      const b = path.dirname(to);
      if (a === b) continue;
      if (!next.has(a)) next.set(a, new Set());
      next.get(a)!.add(b);
    }
    // Depth-first search for a back edge; the path to it is the circle.
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (folder: string, trail: string[]): void => {
      state.set(folder, 'open');
      for (const onward of next.get(folder) ?? []) {
        if (state.get(onward) === 'open') circles.push([...trail.slice(trail.indexOf(onward)), folder, onward].join(' -> '));
        else if (!state.has(onward)) visit(onward, [...trail, folder]);
      }
      state.set(folder, 'done');
    };
    for (const folder of [...next.keys()].sort()) if (!state.has(folder)) visit(folder, []);
    assert.deepEqual(circles, []);
  });
});
