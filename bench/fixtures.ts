// The source files the typing traces edit: realistic application code written for this benchmark
// (a service class and a CLI in TypeScript, a parser and a data-processing module in Python).
// TypeScript fixtures are stored as .ts.txt so the build and the type-checker leave them alone; the
// engine sees them under their workspace path and language id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureSource } from './traceGenerator';

interface FixtureEntry {
  file: string;
  relativePath: string;
  languageId: string;
  /** Part of the --quick set. */
  quick: boolean;
}

const entries: readonly FixtureEntry[] = [
  { file: 'subscriptionService.ts.txt', relativePath: 'src/billing/subscriptionService.ts', languageId: 'typescript', quick: true },
  { file: 'query_parser.py', relativePath: 'app/search/query_parser.py', languageId: 'python', quick: true },
  { file: 'releaseCli.ts.txt', relativePath: 'src/cli/releaseCli.ts', languageId: 'typescript', quick: false },
  { file: 'sales_report.py', relativePath: 'app/reports/sales_report.py', languageId: 'python', quick: false },
];

export function loadFixtures(root: string, quick: boolean): FixtureSource[] {
  return entries
    .filter((e) => !quick || e.quick)
    .map((e) => ({
      name: e.relativePath.split('/').pop()!,
      relativePath: e.relativePath,
      languageId: e.languageId,
      text: readFileSync(join(root, 'bench', 'fixtures', e.file), 'utf8'),
    }));
}
