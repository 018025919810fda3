// Packs ranked picks (sets of lines of a file: a definition, a class outline, a whole file, a file
// outline) into a token budget for "Ask About Codebase", best first, whole or not at all.
//
// Picks of one file are kept as line sets and rendered together: picks whose spans overlap or touch
// become one snippet (a file outline with the asked-about definition shown whole inside it, say),
// gaps shown as a `⋮` line. So no two snippets overlap, no line is paid for twice, and what a pick
// costs is what the file's rendering grows by, headers included. A pick that does not fit may fall
// back to a smaller alternative (a file's outline instead of the file, a signature instead of a very
// long function); a pick that adds no line only adds its reason (and costs nothing).

import { estimateTokens } from '../kernel/tokenEstimate';
import type { CodebaseSnippet, CodebaseSnippetKind } from './contextTypes';

export const GAP_MARKER = '⋮';
/** Reasons listed per snippet; more would be noise in the answer's "used" list. */
const MAX_REASONS = 4;

export interface LinePick {
  /** 1-based, ascending, distinct. */
  lines: number[];
  kind: CodebaseSnippetKind;
}

export interface PackCandidate {
  file: string;
  score: number;
  reason: string;
  /** Best first; the first that fits is taken. */
  alternatives: LinePick[];
}

export interface CodebasePackOptions {
  budgetTokens: number;
  maxFiles: number;
  /** The file's lines (no trailing empty line for a final newline); undefined: not usable. */
  linesOf(file: string): readonly string[] | undefined;
  /** What a snippet of this file costs beyond its text (its header in the prompt). */
  overheadTokens(file: string): number;
}

export interface CodebasePackResult {
  /** Best first: score, then path, then line. */
  snippets: CodebaseSnippet[];
  /** Snippet tokens plus overheads. */
  tokens: number;
  /** A candidate was left out, or only a smaller alternative of it fitted. */
  truncated: boolean;
}

interface Member {
  lines: number[];
  kind: CodebaseSnippetKind;
  reason: string;
  score: number;
}

interface FilePlan {
  lines: readonly string[];
  members: Member[];
  snippets: CodebaseSnippet[];
  cost: number;
}

export function packCodebaseSnippets(candidates: readonly PackCandidate[], options: CodebasePackOptions): CodebasePackResult {
  const budget = Math.max(0, Math.floor(options.budgetTokens));
  const maxFiles = Math.max(1, Math.floor(options.maxFiles));
  const plans = new Map<string, FilePlan>();
  let used = 0;
  let truncated = false;

  for (const candidate of [...candidates].sort(byRank)) {
    let plan = plans.get(candidate.file);
    if (!plan) {
      const lines = options.linesOf(candidate.file);
      if (lines === undefined || lines.length === 0) continue;
      plan = { lines, members: [], snippets: [], cost: 0 };
    }
    const current = plan;
    const alternatives = candidate.alternatives
      .map((alt) => ({ ...alt, lines: alt.lines.filter((l) => l >= 1 && l <= current.lines.length) }))
      .filter((alt) => alt.lines.length > 0);
    if (alternatives.length === 0) continue;
    if (!plans.has(candidate.file) && plans.size >= maxFiles) {
      truncated = true;
      continue;
    }

    let placed = false;
    for (const [i, alt] of alternatives.entries()) {
      const members = [...plan.members, { ...alt, reason: candidate.reason, score: candidate.score }];
      const snippets = render(candidate.file, plan.lines, members);
      const cost = snippets.reduce((sum, s) => sum + s.tokens + options.overheadTokens(s.file), 0);
      if (used - plan.cost + cost > budget) continue;
      used += cost - plan.cost;
      plan.members = members;
      plan.snippets = snippets;
      plan.cost = cost;
      plans.set(candidate.file, plan);
      if (i > 0) truncated = true;
      placed = true;
      break;
    }
    if (!placed) truncated = true;
  }

  const snippets = [...plans.values()].flatMap((p) => p.snippets).sort(byRank);
  return { snippets, tokens: used, truncated };
}

/** One snippet per group of picks whose spans overlap or touch. */
function render(file: string, lines: readonly string[], members: readonly Member[]): CodebaseSnippet[] {
  const sorted = [...members].sort((a, b) => a.lines[0] - b.lines[0] || last(b.lines) - last(a.lines));
  const groups: Member[][] = [];
  let end = -Infinity;
  for (const m of sorted) {
    if (groups.length > 0 && m.lines[0] <= end + 1) {
      groups[groups.length - 1].push(m);
      end = Math.max(end, last(m.lines));
    } else {
      groups.push([m]);
      end = last(m.lines);
    }
  }
  return groups.map((group) => renderGroup(file, lines, group));
}

function renderGroup(file: string, lines: readonly string[], group: readonly Member[]): CodebaseSnippet {
  const shown = [...new Set(group.flatMap((m) => m.lines))].sort((a, b) => a - b);
  const out: string[] = [];
  let gaps = false;
  shown.forEach((line, i) => {
    if (i > 0 && line > shown[i - 1] + 1) {
      out.push(GAP_MARKER);
      gaps = true;
    }
    out.push(lines[line - 1]);
  });
  const startLine = shown[0];
  const endLine = shown[shown.length - 1];
  let kind: CodebaseSnippetKind;
  if (!gaps && startLine === 1 && endLine === lines.length) kind = 'file';
  else if (gaps) kind = 'outline';
  else kind = group.some((m) => m.kind !== 'outline') ? 'definition' : 'outline';
  const byScore = [...group].sort((a, b) => b.score - a.score);
  const reasons: string[] = [];
  for (const m of byScore) {
    for (const r of m.reason.split('; ')) if (!reasons.includes(r)) reasons.push(r);
  }
  const text = out.join('\n');
  return {
    file,
    startLine,
    endLine,
    text,
    reason: reasons.length > MAX_REASONS ? [...reasons.slice(0, MAX_REASONS), `${reasons.length - MAX_REASONS} more`].join('; ') : reasons.join('; '),
    tokens: estimateTokens(text),
    kind,
    score: byScore[0].score,
  };
}

function last(lines: readonly number[]): number {
  return lines[lines.length - 1];
}

function firstLine(x: PackCandidate | CodebaseSnippet): number {
  return 'alternatives' in x ? (x.alternatives[0]?.lines[0] ?? 0) : x.startLine;
}

/** Score (NaN last), then path in code-unit order, then line. */
function byRank(a: PackCandidate | CodebaseSnippet, b: PackCandidate | CodebaseSnippet): number {
  const sa = Number.isNaN(a.score) ? -Infinity : a.score;
  const sb = Number.isNaN(b.score) ? -Infinity : b.score;
  if (sa !== sb) return sb > sa ? 1 : -1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return firstLine(a) - firstLine(b);
}
