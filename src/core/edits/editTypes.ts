// The plain data that flows from a frontier model's answer to the workspace: what the parser
// produces and what the matcher applies. Kept free of behaviour so that the parser, the matcher,
// the diff preview and the vscode adapter can all share it without importing one another.

/** Replace the one place in `path` where `search` occurs with `replace` (both whole lines, LF). */
export interface ModifyEdit {
  kind: 'modify';
  path: string;
  search: string;
  replace: string;
}

/** Create `path` with `content`; refused later if the file already exists. */
export interface CreateEdit {
  kind: 'create';
  path: string;
  content: string;
}

/** Remove `path`. */
export interface DeleteEdit {
  kind: 'delete';
  path: string;
}

export type FileEdit = ModifyEdit | CreateEdit | DeleteEdit;

/** Something in the model's answer the parser would have had to guess about; `line` is 1-based. */
export interface ParseProblem {
  line: number;
  message: string;
}

/** One file's planned change: its text before (undefined: it does not exist) and after (undefined: deleted). */
export interface FileChange {
  /** Workspace-relative, forward slashes (see workspacePath.ts). */
  path: string;
  kind: 'modify' | 'create' | 'delete';
  before: string | undefined;
  after: string | undefined;
}

export type ChangeProblemCode =
  | 'refused-path'
  | 'not-found'
  | 'ambiguous'
  | 'empty-search'
  | 'overlap'
  | 'no-such-file'
  | 'already-exists'
  | 'conflict'
  | 'unreadable';

/** Why a plan was refused; `message` is the sentence the UI shows as is. */
export interface ChangeProblem {
  /** The path as normalized, or as the model wrote it when it could not be normalized. */
  path: string;
  /** 1-based position of the failing edit among the edits to this file, when one edit is at fault. */
  edit?: number;
  code: ChangeProblemCode;
  message: string;
}
