// Retrieval through the import forms importResolver.ts follows, end to end (real tree-sitter, a
// workspace on disk, ContextWorkspace): for each form, a cursor in a call reaches the callee's
// definition through the import (not by a workspace-wide guess by name), in the languages where
// the form exists: Python `from . import module` and `__init__.py` re-exports, TS/TSX/JS index
// files, Go's same-folder package, go.mod's module path and interface methods.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ContextWorkspace } from '../../../src/core/context/contextWorkspace';
import { grammarDir } from '../../support/repoRoot';

/** Marks the cursor in the using file's text. */
const CURSOR = '<|>';

interface Case {
  name: string;
  files: Record<string, string>;
  /** The file holding CURSOR. */
  at: string;
  /** The definition that must be retrieved through an import: its name and file. */
  callee: string;
  definedIn: string;
}

const CASES: Case[] = [
  {
    name: 'python: from . import module',
    files: {
      'shop/models.py': 'def compute_total(items):\n    return sum(items)\n',
      'shop/cart.py': `from . import models\n\n\ndef checkout(items):\n    return models.compute_t${CURSOR}otal(items)\n`,
    },
    at: 'shop/cart.py',
    callee: 'compute_total',
    definedIn: 'shop/models.py',
  },
  {
    name: 'python: from .pkg import module',
    files: {
      'app/pricing/rules.py': 'def apply_discount(total):\n    return total * 0.9\n',
      'app/main.py': `from .pricing import rules\n\n\ndef run(total):\n    return rules.apply_d${CURSOR}iscount(total)\n`,
    },
    at: 'app/main.py',
    callee: 'apply_discount',
    definedIn: 'app/pricing/rules.py',
  },
  {
    name: 'python: a re-export in __init__.py',
    files: {
      'shop/__init__.py': 'from .models import LineItem\n',
      'shop/models.py': 'class LineItem:\n    def __init__(self, name, price):\n        self.name = name\n        self.price = price\n',
      'main.py': `from shop import LineItem\n\nitem = LineIt${CURSOR}em("tea", 3)\n`,
    },
    at: 'main.py',
    callee: 'LineItem',
    definedIn: 'shop/models.py',
  },
  ...(['ts', 'tsx', 'js'] as const).map(
    (ext): Case => ({
      name: `${ext}: export * from an index file`,
      files: {
        [`src/lib/index.${ext}`]: `export * from './button';\nexport { makeCard } from './card';\n`,
        [`src/lib/button.${ext}`]: 'export function makeButton(label) {\n  return { label };\n}\n',
        [`src/lib/card.${ext}`]: 'export function makeCard(title) {\n  return { title };\n}\n',
        [`src/app.${ext}`]: `import { makeButton } from './lib';\n\nconst ok = makeBu${CURSOR}tton('ok');\n`,
      },
      at: `src/app.${ext}`,
      callee: 'makeButton',
      definedIn: `src/lib/button.${ext}`,
    }),
  ),
  {
    name: 'go: a function of another file of the same package',
    files: {
      'go.mod': 'module example.com/shop\n\ngo 1.22\n',
      'store/open.go': 'package store\n\n// Open returns an empty store.\nfunc Open(path string) *Store {\n\treturn &Store{}\n}\n',
      'store/store.go': `package store\n\ntype Store struct{}\n\nfunc Default() *Store {\n\treturn Op${CURSOR}en("db")\n}\n`,
    },
    at: 'store/store.go',
    callee: 'Open',
    definedIn: 'store/open.go',
  },
  {
    name: "go: go.mod's module path over a folder with the same tail",
    files: {
      'go.mod': 'module example.com/shop\n\ngo 1.22\n',
      'store/store.go': 'package store\n\nfunc Open(path string) int {\n\treturn 1\n}\n',
      'third/shop/store/store.go': 'package store\n\nfunc Open(path string) int {\n\treturn 999\n}\n',
      'main.go': `package main\n\nimport "example.com/shop/store"\n\nfunc main() {\n\tstore.Op${CURSOR}en("db")\n}\n`,
    },
    at: 'main.go',
    callee: 'Open',
    definedIn: 'store/store.go',
  },
  {
    name: 'go: an interface method spec',
    files: {
      'go.mod': 'module example.com/shop\n',
      'store/store.go': 'package store\n\ntype Store interface {\n\tFetchItem(id string) (string, error)\n}\n',
      'store/use.go': `package store\n\nfunc Name(s Store) string {\n\tname, _ := s.FetchIt${CURSOR}em("1")\n\treturn name\n}\n`,
    },
    at: 'store/use.go',
    callee: 'FetchItem',
    definedIn: 'store/store.go',
  },
];

describe('retrieval through import forms', function () {
  this.timeout(60_000);
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'bantam-imports-'));
      roots.push(root);
      let text = '';
      for (const [file, content] of Object.entries(c.files)) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        const clean = content.replace(CURSOR, '');
        writeFileSync(path.join(root, file), clean);
        if (file === c.at) text = content;
      }
      const ws = new ContextWorkspace({ root, grammarDir, documentExtractDelayMs: 0 });
      try {
        assert.equal((await ws.indexAll(() => undefined)).phase, 'done');
        const offset = text.indexOf(CURSOR);
        const result = await ws.retrieve({ file: c.at, languageId: '', text: text.replace(CURSOR, ''), offset, budgetTokens: 512 });
        const described = JSON.stringify(result.snippets.map((s) => `${s.file}:${s.startLine} ${s.reason}`));
        const found = result.snippets.find((s) => s.reason.includes(`definition of ${c.callee} `) && s.file === c.definedIn);
        assert.ok(found, `no definition of ${c.callee} from ${c.definedIn} in ${described}`);
        assert.match(found.reason, /imported from /, `reached by a guess, not the import: ${described}`);
        assert.ok(!result.snippets.some((s) => s.file.startsWith('third/')), `a folder that only shares the tail: ${described}`);
      } finally {
        ws.dispose();
      }
    });
  }
});
