// Real code nobody here wrote, available offline, for the quality benchmark's oracle replay: the
// TypeScript and JavaScript sources of packages in node_modules (hand-written `src/` and `lib/`
// files, not bundles, minified files or declarations) and Python's standard library. Files are
// chosen by a seeded shuffle, so a seed names one workload on every machine with the same packages.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SeededRandom } from './seededRandom';
import type { FixtureSource } from './traceGenerator';

const MIN_BYTES = 3_000;
const MAX_BYTES = 60_000;

export interface OracleSourceOptions {
  /** node_modules folder to read JS/TS from. */
  nodeModules: string;
  /** Files per language (TypeScript, JavaScript, Python). */
  perLanguage: number;
  seed: number;
}

export function oracleSources(options: OracleSourceOptions): FixtureSource[] {
  const rng = new SeededRandom(options.seed);
  const pick = (files: string[], base: string, languageId: string): FixtureSource[] =>
    shuffled(files.sort(), rng)
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
      .filter(({ text }) => handWritten(text))
      .slice(0, options.perLanguage)
      .map(({ file, text }) => {
        const relativePath = relative(base, file).split(sep).join('/');
        return { name: relativePath, relativePath, languageId, text };
      });
  const packages = walk(options.nodeModules, 4).filter((f) => /\/(src|lib)\//.test(f) && !/\/(dist|test|tests|__tests__)\//.test(f));
  const python = pythonLibrary();
  return [
    ...pick(packages.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), options.nodeModules, 'typescript'),
    ...pick(packages.filter((f) => /\.(js|mjs|cjs)$/.test(f) && !/\.min\./.test(f)), options.nodeModules, 'javascript'),
    ...(python ? pick(walk(python, 1).filter((f) => f.endsWith('.py')), python, 'python') : []),
  ];
}

/** The newest /usr/lib/python3.N, if there is one. */
export function pythonLibrary(): string | undefined {
  if (!existsSync('/usr/lib')) return undefined;
  const versions = readdirSync('/usr/lib')
    .filter((name) => /^python3\.\d+$/.test(name))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const newest = versions.at(-1);
  return newest ? join('/usr/lib', newest) : undefined;
}

/** Files of `dir` within `depth` folder levels below a package root, sized for a trace. */
function walk(dir: string, depth: number): string[] {
  const found: string[] = [];
  const visit = (current: string, level: number): void => {
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' && current !== dir) continue;
      const path = join(current, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (level < depth + 2) visit(path, level + 1);
      } else if (stat.size >= MIN_BYTES && stat.size <= MAX_BYTES) {
        found.push(path);
      }
    }
  };
  visit(dir, 0);
  return found;
}

/** Source a person wrote: short lines, indented, not one generated blob. */
function handWritten(text: string): boolean {
  const lines = text.split('\n');
  if (lines.length < 60) return false;
  const long = lines.filter((l) => l.length > 160).length;
  const indented = lines.filter((l) => /^\s+\S/.test(l)).length;
  return long / lines.length < 0.02 && indented / lines.length > 0.3 && !text.includes('\u0000');
}

function shuffled<T>(items: T[], rng: SeededRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
