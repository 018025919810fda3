// The edit history `bantam next-edit --history FILE.json` reads in place of the editor's, and its
// replay through EditHistory.record, so coalescing and undo work exactly as they do in the editor:
//   { "edits": [ { "path": "src/a.ts", "before": "<whole text>", "after": "<whole text>",
//                  "at": 1200, "reason": "undo" }, ... ],          oldest first; at and reason optional
//     "viewed": [ { "path": "src/b.ts", "startLine": 3, "endLine": 9, "text": "..." } ] }   optional
// An edit without "at" comes 100 ms after the one before it (quick typing: edits near each other in
// one file join one hunk, as keystrokes do); viewed lines are 1-based and inclusive, as editors show them.
import { readFile } from 'node:fs/promises';
import { EditHistory, type ChangeReason, type RecordablePredicate } from '../core/nextEdit/editHistory';
import type { ViewedRange } from '../core/nextEdit/nextEditTypes';
import { relativeInside, UsageError } from './cliShared';

/** Time between edits that give no "at": keystrokes of quick typing. */
export const KEYSTROKE_MS = 100;

export interface HistoryFileEdit {
  /** Workspace-relative, forward slashes. */
  path: string;
  before: string;
  after: string;
  at: number;
  reason?: ChangeReason;
}

export interface HistoryFile {
  edits: HistoryFileEdit[];
  /** 0-based, endLine exclusive (ViewedRange's own terms). */
  viewed: ViewedRange[];
}

/** A history file that can't be used: its one-sentence message names the file and the entry. */
export class HistoryFileError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a history file's text; paths must lie inside `root`. */
export function parseHistoryFile(text: string, root: string, name: string): HistoryFile {
  const fail = (what: string): never => {
    throw new HistoryFileError(`--history ${name}: ${what}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(raw) || !Array.isArray(raw.edits)) return fail('expected an object with an "edits" array, e.g. { "edits": [ { "path", "before", "after" } ] }');
  const pathOf = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || value === '') return fail(`${where}.path must be a file path`);
    try {
      return relativeInside(root, value, `${where}.path`);
    } catch (error) {
      if (error instanceof UsageError) return fail(error.message);
      throw error;
    }
  };
  const edits: HistoryFileEdit[] = [];
  let previousAt: number | undefined;
  raw.edits.forEach((entry, i) => {
    const where = `edits[${i}]`;
    if (!isObject(entry)) return fail(`${where} must be an object with "path", "before" and "after"`);
    const path = pathOf(entry.path, where);
    if (typeof entry.before !== 'string' || typeof entry.after !== 'string') return fail(`${where} needs "before" and "after", the whole file's text as strings`);
    if (entry.at !== undefined && (typeof entry.at !== 'number' || !Number.isFinite(entry.at) || entry.at < 0)) return fail(`${where}.at must be a time in ms, 0 or more`);
    const at = (entry.at as number | undefined) ?? (previousAt === undefined ? 0 : previousAt + KEYSTROKE_MS);
    if (previousAt !== undefined && at < previousAt) return fail(`${where}.at is earlier than the edit before it; list edits oldest first`);
    if (entry.reason !== undefined && entry.reason !== 'undo' && entry.reason !== 'redo') return fail(`${where}.reason must be "undo" or "redo"`);
    previousAt = at;
    edits.push({ path, before: entry.before, after: entry.after, at, ...(entry.reason ? { reason: entry.reason } : {}) });
  });
  if (raw.viewed !== undefined && !Array.isArray(raw.viewed)) return fail('"viewed" must be an array of { "path", "startLine", "endLine", "text" }');
  const viewedAt = previousAt ?? 0;
  const viewed = ((raw.viewed as unknown[] | undefined) ?? []).map((entry, i): ViewedRange => {
    const where = `viewed[${i}]`;
    if (!isObject(entry)) return fail(`${where} must be an object with "path", "startLine", "endLine" and "text"`);
    const path = pathOf(entry.path, where);
    const { startLine, endLine } = entry;
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || (startLine as number) < 1 || (endLine as number) < (startLine as number)) {
      return fail(`${where} needs whole-number lines, 1-based, with startLine <= endLine`);
    }
    if (typeof entry.text !== 'string') return fail(`${where}.text must be the lines' text`);
    return { path, startLine: (startLine as number) - 1, endLine: endLine as number, text: entry.text, at: viewedAt };
  });
  return { edits, viewed };
}

/** Reads and checks `file` (see parseHistoryFile). */
export async function readHistoryFile(file: string, root: string): Promise<HistoryFile> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new HistoryFileError(`--history ${file}: cannot read it (${error.message})`);
  });
  return parseHistoryFile(text, root, file);
}

/** The history as the editor would have recorded it, and the time just after its last edit. */
export function replayHistory(file: HistoryFile, mayRecord: RecordablePredicate): { history: EditHistory; now: number } {
  const history = new EditHistory(mayRecord);
  for (const edit of file.edits) history.record(edit.path, edit.before, edit.after, edit.at, edit.reason);
  for (const range of file.viewed) history.recordViewed(range);
  const last = file.edits.at(-1)?.at;
  return { history, now: last === undefined ? 0 : last + KEYSTROKE_MS };
}
