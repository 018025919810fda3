// Guards the layering of DESIGN.md: src/core and src/workers run in plain Node, so they must never
// import `vscode` or the vscode adapter layer.
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
          .filter((spec) => spec === 'vscode' || /(^|\/)vscode(\/|$)/.test(spec))
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
});
