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
