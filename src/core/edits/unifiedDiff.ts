// Renders a plan as one unified diff, in git's dialect, so that `bantam edit --dry-run | git apply`
// does what applying would have done and the preview reads like every other diff a developer sees.
// The `diff` package computes the hunks; the git headers are added here because plain unified diffs
// cannot express an empty new file or a deletion git will accept without guessing.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { FileChange } from './editTypes';

const CONTEXT_LINES = 3;

/** Git quotes names with quotes, backslashes or control characters, C style. */
function gitName(prefix: string, path: string): string {
  const name = prefix + path;
  if (!/["\\\x00-\x1f\x7f]/.test(name)) return name;
  const escaped = name.replace(/["\\\x00-\x1f\x7f]/g, (ch) => {
    const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
    return named[ch] ?? `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return `"${escaped}"`;
}

/** `--- a/x` lines end with a tab when the name has a space, so the name's end is unambiguous. */
function headerName(name: string): string {
  return name.includes(' ') && !name.startsWith('"') ? `${name}\t` : name;
}

function fileDiff(change: FileChange): string {
  const before = change.before ?? '';
  const after = change.after ?? '';
  if (change.kind === 'modify' && before === after) return '';
  const a = gitName('a/', change.path);
  const b = gitName('b/', change.path);
  const lines = [`diff --git ${a} ${b}`];
  if (change.kind === 'create') lines.push('new file mode 100644');
  if (change.kind === 'delete') lines.push('deleted file mode 100644');
  const header = lines.join('\n') + '\n';
  // An empty file created or deleted has no hunks, and git wants no ---/+++ lines then either.
  if (change.kind !== 'modify' && (change.kind === 'create' ? after : before) === '') return header;

  const oldName = change.kind === 'create' ? '/dev/null' : headerName(a);
  const newName = change.kind === 'delete' ? '/dev/null' : headerName(b);
  const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, {
    context: CONTEXT_LINES,
    headerOptions: FILE_HEADERS_ONLY,
  });
  return header + patch;
}

/** One unified diff of every change, in plan order; empty when nothing changes. */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes.map(fileDiff).join('');
}
