// The codebase context the completion benchmark's "context" variant runs with: a temporary workspace
// holding the typed fixture files at their workspace paths plus the modules they import
// (bench/fixtures/workspace), indexed by the real index worker, feeding the engine through the same
// CompletionContext the extension uses.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configFrom } from '../src/core/config';
import { CompletionContext } from '../src/core/context/completionContext';
import { ContextService } from '../src/core/context/contextService';
import type { FileTrace } from './typingTrace';

export interface BenchContext {
  context: CompletionContext;
  client: ContextService;
  root: string;
  files: number;
  dispose(): void;
}

/** Copies the supporting modules (stored as .ts.txt so tsc leaves them alone) under their real names. */
function copyWorkspace(source: string, target: string): void {
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    if (statSync(from).isDirectory()) {
      copyWorkspace(from, join(target, name));
      continue;
    }
    const to = join(target, name.replace(/\.ts\.txt$/, '.ts'));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to);
  }
}

export async function startBenchContext(repoRoot: string, traces: readonly FileTrace[]): Promise<BenchContext> {
  const root = mkdtempSync(join(tmpdir(), 'bantam-bench-ws-'));
  copyWorkspace(join(repoRoot, 'bench', 'fixtures', 'workspace'), root);
  for (const trace of traces) {
    const file = join(root, trace.relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, trace.initialText);
  }
  const config = configFrom();
  const client = new ContextService({
    workerPath: join(repoRoot, 'dist', 'indexWorker.js'),
    grammarDir: join(repoRoot, 'grammars'),
    root,
    settings: () => ({ ...config.context, enabled: true }),
    log: () => {},
  });
  client.start();
  const progress = await client.index();
  for (const trace of traces) client.events!.documentOpened(trace.relativePath, trace.languageId, trace.initialText);
  const context = new CompletionContext({ retriever: () => client });
  return {
    context,
    client,
    root,
    files: progress.done,
    dispose: () => {
      client.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
