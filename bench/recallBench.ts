// The recall part of `npm run bench:context`: does retrieval bring the definition of the function
// the user is about to call? On real projects (bench/recallCorpus.ts), each indexed in-process by the
// same ContextWorkspace the index worker and `bantam context` run, call sites of functions, methods
// and classes defined in another file are sampled (bench/callSites.ts, seeded); the calling file is
// opened truncated at the call line, as the editor holds it while the call is written, and retrieval
// is asked at two moments: 'typed' (the line up to and including the callee's name) and 'newline'
// (only the line's indentation), at 512 and 2,048 context tokens. A hit is the callee's definition
// among the snippets. The Jaccard baseline (bench/jaccardBaseline.ts) answers the same cursors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promptWindowLines } from '../src/core/completion/promptBuilder';
import { configFrom } from '../src/core/config';
import { ContextWorkspace } from '../src/core/context/contextWorkspace';
import type { ContextSnippet } from '../src/core/kernel/completionTypes';
import { callSitesIn, codeTest, type Exclusion, type ProjectShape, retrievedDefinition, sampleCallSites, truncatedAt, type CallSite, type CursorMoment } from './callSites';
import { JaccardBaseline } from './jaccardBaseline';
import { copyProject, recallProjects, type RecallProject } from './recallCorpus';

export const RECALL_BUDGETS = [512, 2048] as const;
const MOMENTS: readonly CursorMoment[] = ['typed', 'newline'];

export interface RecallOptions {
  repoRoot: string;
  /** Call sites drawn per language (per language of the held-out set, too). */
  perLanguage: number;
  seed: number;
  heldOutDir?: string;
  /** Adds the held-out set (recallCorpus.ts heldOutProjects). */
  heldOutSet?: boolean;
  /** Print every miss at 512 tokens (file, line, callee, moment). */
  showMisses: boolean;
  log: (line: string) => void;
}

/** Hits out of `n` per measure: `${moment}_${budget}` for Bantam, `baseline_${moment}_${budget}` for Jaccard. */
export interface RecallTally {
  n: number;
  /** Call sites left out because their callee's name is defined in several files. */
  ambiguous: number;
  hits: Record<string, number>;
}

export interface RecallReport {
  /** Built-in set per language group ('ts/js', 'python', 'go'), and the held-out set's as 'held-out ts/js' etc. */
  byLanguage: Record<string, RecallTally>;
  overall: RecallTally;
  /** The built-in set by the callee's kind (function, method, class): where the misses are. */
  byKind: Record<string, RecallTally>;
  heldOut?: RecallTally;
  projects: string[];
  /** Occurrences of project callees the sampler left out, by rule (bench/callSites.ts), all sets. */
  excluded: Partial<Record<Exclusion, number>>;
}

const measureKeys = (): string[] =>
  ['', 'baseline_'].flatMap((who) => MOMENTS.flatMap((moment) => RECALL_BUDGETS.map((budget) => `${who}${moment}_${budget}`)));

function emptyTally(): RecallTally {
  return { n: 0, ambiguous: 0, hits: Object.fromEntries(measureKeys().map((k) => [k, 0])) };
}

function addInto(into: RecallTally, from: RecallTally): void {
  into.n += from.n;
  into.ambiguous += from.ambiguous;
  for (const key of Object.keys(from.hits)) into.hits[key] = (into.hits[key] ?? 0) + from.hits[key]!;
}

const languageGroup = (language: string): string => (language === 'typescript' || language === 'javascript' ? 'ts/js' : language);

interface IndexedProject {
  project: RecallProject;
  dir: string;
  workspace: ContextWorkspace;
  baseline: JaccardBaseline;
}

async function indexProject(project: RecallProject, repoRoot: string): Promise<IndexedProject> {
  const dir = mkdtempSync(join(tmpdir(), 'bantam-recall-'));
  copyProject(project, dir);
  const workspace = new ContextWorkspace({ root: dir, grammarDir: join(repoRoot, 'grammars'), documentExtractDelayMs: 0 });
  await workspace.indexAll();
  const texts = new Map<string, string>();
  for (const file of workspace.index.files()) {
    const text = workspace.textOf(file);
    if (text !== undefined) texts.set(file, text);
  }
  return { project, dir, workspace, baseline: new JaccardBaseline(texts) };
}

/** Retrieval and the baseline at both moments and budgets for one call site: hits by measure key. */
async function judge(indexed: IndexedProject, site: CallSite): Promise<{ hits: Set<string>; misses: string[] }> {
  const { workspace, baseline } = indexed;
  const diskText = workspace.textOf(site.file)!;
  const budgets = configFrom().completion.budgets;
  const hits = new Set<string>();
  const misses: string[] = [];
  for (const moment of MOMENTS) {
    const text = truncatedAt(diskText, site, moment);
    await workspace.documentOpened(site.file, '', text);
    await workspace.flushDocuments();
    try {
      for (const budgetTokens of RECALL_BUDGETS) {
        const result = await workspace.retrieve({
          file: site.file,
          languageId: '',
          text,
          offset: text.length,
          budgetTokens,
          visibleLines: promptWindowLines({ text, offset: text.length }, budgets),
        });
        if (retrievedDefinition(result.snippets, site)) hits.add(`${moment}_${budgetTokens}`);
        else if (budgetTokens === RECALL_BUDGETS[0]) misses.push(`${moment}: ${describeSnippets(result.snippets)}`);
      }
    } finally {
      await workspace.documentClosed(site.file);
    }
    const similar = baseline.retrieve(site.file, text, diskText, RECALL_BUDGETS);
    RECALL_BUDGETS.forEach((budget, i) => {
      if (retrievedDefinition(similar[i]!, site)) hits.add(`baseline_${moment}_${budget}`);
    });
  }
  return { hits, misses };
}

/** The project's top folders and root modules, and go.mod's module path: what is the project's own. */
function projectShape(workspace: ContextWorkspace): ProjectShape {
  const tops = new Set<string>();
  for (const file of workspace.index.files()) {
    const slash = file.indexOf('/');
    tops.add(slash > 0 ? file.slice(0, slash) : file.replace(/\.[^.]*$/, ''));
  }
  const goModule = /^module\s+(\S+)/m.exec(workspace.textOf('go.mod') ?? '')?.[1];
  return { tops, goModule };
}

const describeSnippets = (snippets: readonly ContextSnippet[]): string =>
  snippets.map((s) => `${s.file}:${s.startLine}-${s.endLine}`).join(' ') || 'no snippets';

export async function measureRecall(options: RecallOptions): Promise<RecallReport> {
  const projects = recallProjects(options.repoRoot, options.heldOutDir, options.heldOutSet);
  const indexed: IndexedProject[] = [];
  const report: RecallReport = { byLanguage: {}, overall: emptyTally(), byKind: {}, projects: projects.map((p) => p.name), excluded: {} };
  try {
    // Every project's call sites, grouped by language so each language gets its own sample.
    const sitesByGroup = new Map<string, { site: CallSite; project: IndexedProject; line: number }[]>();
    for (const project of projects) {
      const ip = await indexProject(project, options.repoRoot);
      indexed.push(ip);
      let count = 0;
      const shape = projectShape(ip.workspace);
      for (const file of [...ip.workspace.index.files()].sort()) {
        const symbols = ip.workspace.symbolsOf(file);
        const text = ip.workspace.textOf(file);
        if (!symbols || text === undefined) continue;
        const group = `${project.heldOut ? 'held-out ' : ''}${languageGroup(symbols.language)}`;
        const found = callSitesIn(file, text, ip.workspace, { isCode: await codeTest(ip.workspace, file, symbols.language, text), project: shape });
        for (const [rule, n] of Object.entries(found.excluded) as [Exclusion, number][]) report.excluded[rule] = (report.excluded[rule] ?? 0) + n;
        const tally = (report.byLanguage[group] ??= emptyTally());
        tally.ambiguous += found.ambiguous;
        const list = sitesByGroup.get(group) ?? [];
        for (const site of found.sites) list.push({ site, project: ip, line: site.line });
        sitesByGroup.set(group, list);
        count += found.sites.length;
      }
      options.log(`  ${project.name}: ${ip.workspace.index.size} files indexed, ${count} call sites of callees defined in one other file`);
    }

    for (const [group, all] of [...sitesByGroup].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const tally = report.byLanguage[group]!;
      const chosen = sampleCallSites(all, ({ site, project }) => `${project.project.name}/${site.file}`, options.perLanguage, options.seed);
      for (const { site, project: ip } of chosen) {
        const projectName = ip.project.name;
        const file = site.file;
        const { hits, misses } = await judge(ip, site);
        const kind = ip.project.heldOut ? undefined : (report.byKind[site.definitions[0]!.kind] ??= emptyTally());
        for (const t of kind ? [tally, kind] : [tally]) {
          t.n++;
          for (const key of hits) t.hits[key]!++;
        }
        if (options.showMisses) for (const miss of misses) options.log(`    miss ${projectName}/${file}:${site.line} ${site.callee} ${miss}`);
      }
    }

    const heldOut = emptyTally();
    for (const [group, tally] of Object.entries(report.byLanguage)) addInto(group.startsWith('held-out') ? heldOut : report.overall, tally);
    if (heldOut.n > 0) report.heldOut = heldOut;
    return report;
  } finally {
    for (const ip of indexed) {
      ip.workspace.dispose();
      rmSync(ip.dir, { recursive: true, force: true });
    }
  }
}

export const share = (tally: RecallTally, key: string): number | null => (tally.n > 0 ? Number((tally.hits[key]! / tally.n).toFixed(3)) : null);

/** One printed line per tally: the shares Bantam and the baseline reach. */
export function recallLine(label: string, tally: RecallTally): string {
  const pct = (key: string): string => {
    const s = share(tally, key);
    return s === null ? '  -' : `${(s * 100).toFixed(0).padStart(3)}%`;
  };
  return (
    `  ${label.padEnd(16)} n=${String(tally.n).padStart(3)}  typed ${pct('typed_512')} / ${pct('typed_2048')}  ` +
    `newline ${pct('newline_512')} / ${pct('newline_2048')}  |  jaccard typed ${pct('baseline_typed_512')}, newline ${pct('baseline_newline_512')} / ${pct('baseline_newline_2048')}` +
    (tally.ambiguous > 0 ? `  (${tally.ambiguous} ambiguous call sites left out)` : '')
  );
}

/** The JSON keys of the recall part: overall shares, then per language and the held-out set. */
export function recallJson(report: RecallReport): Record<string, unknown> {
  const shares = (tally: RecallTally): Record<string, number | null> => ({
    ...Object.fromEntries(Object.keys(tally.hits).map((key) => [key.startsWith('baseline_') ? `baseline_recall_${key.slice(9)}` : `recall_${key}`, share(tally, key)])),
    samples: tally.n,
    ambiguous_left_out: tally.ambiguous,
  });
  const overall = shares(report.overall);
  return {
    recall_typed_512: overall.recall_typed_512,
    recall_newline_512: overall.recall_newline_512,
    recall_newline_2048: overall.recall_newline_2048,
    baseline_recall_newline_512: overall.baseline_recall_newline_512,
    recall_samples: report.overall.n,
    recall: overall,
    recall_by_language: Object.fromEntries(Object.entries(report.byLanguage).map(([group, tally]) => [group, shares(tally)])),
    recall_by_kind: Object.fromEntries(Object.entries(report.byKind).map(([kind, tally]) => [kind, shares(tally)])),
    ...(report.heldOut ? { recall_held_out: shares(report.heldOut) } : {}),
    recall_excluded: report.excluded,
    recall_projects: report.projects,
  };
}
