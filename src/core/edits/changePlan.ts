// Turns parsed edits into the whole-file changes a preview shows and an apply writes, checked against
// the files as they are now. A plan is all or nothing: one edit that cannot be placed means the model
// worked from a different picture of the code than the user has, so no file is changed and every
// problem is listed (with its file and edit) for the user to see, rather than the first one only.
import { applyEdits, type ApplyError } from './editMatcher';
import type { ChangeProblem, FileChange, FileEdit, ModifyEdit } from './editTypes';
import { normalizeWorkspacePath, type WorkspacePath } from './workspacePath';

export type { ChangeProblem, FileChange } from './editTypes';

export interface PlanOptions {
  /**
   * Policy on top of the workspace check (excluded or secret files, files not shown to the model): a
   * refusal reason, or undefined to allow. `kinds` says what the answer does to the path (modify,
   * create, delete), so a policy can let a model create a file it was never shown but not rewrite one.
   */
  allowPath?: (path: string, kinds: ReadonlySet<FileEdit['kind']>) => string | undefined | Promise<string | undefined>;
  /**
   * Multi-root workspaces: the form of a normalized path that names its folder, or why it is refused
   * (resolveFolderPath in workspacePath.ts). Absent: paths are the one folder's.
   */
  resolvePath?: (path: string) => Promise<WorkspacePath>;
}

export interface ChangePlan {
  changes: FileChange[];
  problems: ChangeProblem[];
}

/** Reads a workspace-relative path's current text; undefined when there is no such file. */
export type ReadText = (path: string) => Promise<string | undefined>;

function matchMessage(path: string, edit: number, error: ApplyError, candidates: number | undefined): string {
  const prefix = `edit ${edit} for ${path}`;
  switch (error) {
    case 'not-found':
      return `${prefix}: the SEARCH text was not found in the current file; the file changed or the model misquoted it.`;
    case 'ambiguous':
      return `${prefix}: ambiguous: matches ${candidates ?? 'several'} places; the SEARCH text needs more surrounding lines.`;
    case 'overlap':
      return `${prefix}: it overlaps text an earlier edit to the same file already replaced.`;
    case 'empty-search':
      return `${prefix}: the SEARCH text is empty, so it does not say where the change goes.`;
  }
}

/**
 * Plans the changes `edits` make to the files `read` returns. Edits to one file apply in order, each
 * on the text the earlier ones left. Any problem anywhere leaves `changes` empty.
 */
export async function planChanges(edits: readonly FileEdit[], read: ReadText, options: PlanOptions = {}): Promise<ChangePlan> {
  const problems: ChangeProblem[] = [];
  /** Edits grouped by normalized path, in order of first mention. */
  const byPath = new Map<string, FileEdit[]>();
  for (const edit of edits) {
    let normalized = normalizeWorkspacePath(edit.path);
    if (!('refused' in normalized) && options.resolvePath) normalized = await options.resolvePath(normalized.path);
    if ('refused' in normalized) {
      problems.push({ path: edit.path, code: 'refused-path', message: `${edit.path}: ${normalized.refused}.` });
      continue;
    }
    const path = normalized.path;
    if (!byPath.has(path)) byPath.set(path, []);
    byPath.get(path)!.push(edit);
  }
  for (const [path, group] of byPath) {
    const policy = await options.allowPath?.(path, new Set(group.map((e) => e.kind)));
    if (policy !== undefined) problems.push({ path, code: 'refused-path', message: `${path}: ${policy.replace(/\.$/, '')}.` });
  }
  const refusedByPolicy = new Set(problems.map((p) => p.path));

  const paths = [...byPath.keys()].filter((p) => !refusedByPolicy.has(p));
  const texts = await Promise.all(
    paths.map(async (path): Promise<{ text: string | undefined } | { error: string }> => {
      try {
        return { text: await read(path) };
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );

  const changes: FileChange[] = [];
  paths.forEach((path, i) => {
    const group = byPath.get(path)!;
    const current = texts[i]!;
    if ('error' in current) {
      problems.push({ path, code: 'unreadable', message: `${path}: could not be read (${current.error}).` });
      return;
    }
    const before = current.text;
    // The parser refuses this too, but two spellings of one path (./a.ts, a.ts) only meet here.
    if (group.length > 1 && group.some((e) => e.kind !== 'modify')) {
      problems.push({ path, code: 'conflict', message: `${path}: it is created or deleted and also edited in the same answer.` });
      return;
    }
    const first = group[0]!;
    if (first.kind === 'create') {
      if (before !== undefined) problems.push({ path, code: 'already-exists', message: `create ${path}: the file already exists.` });
      else changes.push({ path, kind: 'create', before: undefined, after: first.content });
      return;
    }
    if (first.kind === 'delete') {
      if (before === undefined) problems.push({ path, code: 'no-such-file', message: `delete ${path}: no such file.` });
      else changes.push({ path, kind: 'delete', before, after: undefined });
      return;
    }
    if (before === undefined) {
      problems.push({ path, edit: 1, code: 'no-such-file', message: `edit 1 for ${path}: no such file; to create it, use an empty SEARCH.` });
      return;
    }
    const after = applyAllReportingEach(path, before, group as ModifyEdit[], problems);
    if (after !== undefined && after !== before) changes.push({ path, kind: 'modify', before, after });
  });

  return problems.length > 0 ? { changes: [], problems } : { changes, problems };
}

/**
 * Applies a file's edits in order; an edit that fails is reported and skipped so that the edits after
 * it are still checked (the user sees every misquote at once). Returns undefined if any failed.
 */
function applyAllReportingEach(path: string, before: string, edits: ModifyEdit[], problems: ChangeProblem[]): string | undefined {
  const accepted: ModifyEdit[] = [];
  let text = before;
  let failed = false;
  edits.forEach((edit, i) => {
    // Re-applying the accepted prefix keeps applyEdits' overlap tracking across the whole sequence.
    const result = applyEdits(before, [...accepted, edit]);
    if ('error' in result) {
      failed = true;
      problems.push({ path, edit: i + 1, code: result.error, message: matchMessage(path, i + 1, result.error, result.candidates) });
      return;
    }
    accepted.push(edit);
    text = result.text;
  });
  return failed ? undefined : text;
}
