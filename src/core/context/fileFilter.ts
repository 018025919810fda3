// Decides which workspace files the codebase index may read, in two stages:
//   PathFilter          by path, before any read: .git, the user's exclude globs, .gitignore files
//                       (root, nested, .git/info/exclude) and secret-looking names;
//   contentSkipReason   by (a bounded prefix of) content: too large, binary, minified, generated,
//                       or carrying a private key.
// Everything skipped here is also never put into a prompt, so the rules lean towards skipping:
// generated and minified code wastes the context budget, secrets must never leave the machine.
// Both stages run for every file of a workspace (100k files), so they only ever look at prefixes.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { SkipReason } from './contextTypes';
import { isSecretPath, looksLikeSecretContent } from './secretFiles';

export interface FileFilterOptions {
  /**
   * Globs relative to the workspace root, VS Code style (`**∕node_modules` excludes the folder and
   * everything under it): the `files.exclude` patterns set to true plus `bantam.context.exclude`.
   */
  excludeGlobs: readonly string[];
  /** Files above this size are never read (see DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes: number;
}

/** Defaults for `bantam.context.exclude`: dependencies, build output, caches, virtualenvs, bundles. */
export const DEFAULT_CONTEXT_EXCLUDES: readonly string[] = [
  '**/node_modules/**',
  '**/bower_components/**',
  '**/jspm_packages/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/target/**',
  '**/vendor/**',
  '**/__pycache__/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/coverage/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.cache/**',
  '**/.gradle/**',
  '**/.idea/**',
  '**/bin/Debug/**',
  '**/bin/Release/**',
  '**/obj/**',
  '**/*.min.*',
];

/**
 * 1 MB. The tree-sitter parser runs in WebAssembly, whose memory grows to fit the largest file ever
 * parsed and never shrinks (one 9 MB file grew the process by 380 MB). A hand-written source file
 * above 1 MB is very rare; above that it is almost always data or generated code.
 */
export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

/** Version-control metadata: never indexed, whatever the settings say. */
const VCS_DIRECTORIES = new Set(['.git', '.hg', '.svn']);

/** Path-based filter for one workspace folder. Paths are workspace-relative, forward slashes. */
export class PathFilter {
  readonly root: string;
  readonly maxFileBytes: number;
  private readonly excluded: (relPath: string) => boolean;
  /** Gitignore rules by the folder they live in ('' = workspace root), deepest checked first. */
  private readonly gitignores = new Map<string, Ignore>();
  private readonly gitignoreText = new Map<string, string>();
  private infoExclude = '';
  /** skipReasonForPath's verdicts on ancestor folders; cleared whenever the rules change. */
  private readonly dirVerdicts = new Map<string, SkipReason | null>();

  constructor(root: string, options: FileFilterOptions) {
    this.root = root;
    this.maxFileBytes = options.maxFileBytes;
    const globs = options.excludeGlobs.map(normalizeGlob).filter((g) => g !== '');
    this.excluded = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  }

  /**
   * Reads the root .gitignore and .git/info/exclude. Nested .gitignore files are added by the
   * scanner as it enters each folder (addGitignore), so one walk reads everything once.
   */
  async load(): Promise<void> {
    const [rootRules, exclude, global] = await Promise.all([
      readOptional(path.join(this.root, '.gitignore')),
      readOptional(path.join(this.root, '.git', 'info', 'exclude')),
      readGlobalExcludes(),
    ]);
    // The user's global excludes (core.excludesFile) rank below the repository's own exclude file.
    this.infoExclude = `${global ?? ''}\n${exclude ?? ''}`;
    this.addGitignore('', rootRules ?? '');
  }

  /**
   * Sets (replaces) the rules of the .gitignore in folder `dirRel` ('' for the root). Call again with
   * the new content when a .gitignore changes, or with '' when it is deleted.
   */
  addGitignore(dirRel: string, content: string): void {
    const dir = normalizeRel(dirRel);
    this.dirVerdicts.clear();
    // .git/info/exclude applies from the root with the lowest precedence: in one ignore instance the
    // last matching rule wins, so its rules go first.
    const rules = dir === '' ? `${this.infoExclude}\n${content}` : content;
    if (rules.trim() === '') {
      this.gitignores.delete(dir);
      this.gitignoreText.delete(dir);
      return;
    }
    this.gitignores.set(dir, ignore().add(rules));
    this.gitignoreText.set(dir, content);
  }

  /**
   * Why `relPath` is skipped, or undefined when it may be indexed. Checks the path's ancestor folders
   * too, so it answers correctly for any path (a file watcher event, an open editor).
   */
  skipReasonForPath(relPath: string, isDirectory = false): SkipReason | undefined {
    const rel = normalizeRel(relPath);
    if (rel === '') return undefined;
    let slash = rel.indexOf('/');
    while (slash !== -1) {
      const dir = rel.slice(0, slash);
      let verdict = this.dirVerdicts.get(dir);
      if (verdict === undefined) {
        verdict = this.skipReasonForEntry(dir, true) ?? null;
        this.dirVerdicts.set(dir, verdict);
      }
      if (verdict !== null) return verdict;
      slash = rel.indexOf('/', slash + 1);
    }
    return this.skipReasonForEntry(rel, isDirectory);
  }

  /**
   * skipReasonForPath for a walker that has already checked every ancestor folder of `relPath`
   * (normalized, forward slashes): looks at the entry itself only.
   */
  skipReasonForEntry(relPath: string, isDirectory: boolean): SkipReason | undefined {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    if (isDirectory && VCS_DIRECTORIES.has(name)) return 'excluded';
    if (this.excluded(relPath)) return 'excluded';
    if (this.isGitignored(relPath, isDirectory)) return 'ignored';
    if (isSecretPath(relPath, isDirectory)) return 'secret';
    return undefined;
  }

  /** Git's precedence: the deepest .gitignore with a matching rule decides; a `!rule` re-includes. */
  private isGitignored(relPath: string, isDirectory: boolean): boolean {
    if (this.gitignores.size === 0) return false;
    let dir = relPath;
    for (;;) {
      const slash = dir.lastIndexOf('/');
      dir = slash === -1 ? '' : dir.slice(0, slash);
      const rules = this.gitignores.get(dir);
      if (rules !== undefined) {
        const inner = dir === '' ? relPath : relPath.slice(dir.length + 1);
        const result = rules.test(isDirectory ? `${inner}/` : inner);
        if (result.ignored) return true;
        if (result.unignored) return false;
      }
      if (dir === '') return false;
    }
  }
}

/** Workspace-relative, forward slashes, no leading './' or '/', no trailing '/'. */
function normalizeRel(relPath: string): string {
  let rel = relPath.replace(/\\/g, '/');
  while (rel.startsWith('./')) rel = rel.slice(2);
  rel = rel.replace(/^\/+/, '').replace(/\/+$/, '');
  return rel === '.' ? '' : rel;
}

/** VS Code globs may start with './' or '/', meaning the workspace root; picomatch wants neither. */
function normalizeGlob(glob: string): string {
  return glob.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
}

/**
 * The user's global git excludes: `core.excludesFile` from ~/.gitconfig (or the XDG git config) when
 * set, else git's default `$XDG_CONFIG_HOME/git/ignore` (~/.config/git/ignore). Many developers keep
 * `.env.local`, scratch files and notes there, expecting every tool that honours git to skip them.
 */
export async function readGlobalExcludes(home = os.homedir(), env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  for (const config of [path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config')]) {
    const text = await readOptional(config);
    const match = text ? /^\s*excludesfile\s*=\s*(.+?)\s*$/im.exec(text) : null;
    if (match) {
      const file = match[1]!.replace(/^"(.*)"$/, '$1').replace(/^~(?=\/|$)/, home);
      return readOptional(path.isAbsolute(file) ? file : path.join(home, file));
    }
  }
  return readOptional(path.join(xdg, 'git', 'ignore'));
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Content checks

/** Binary sniffing window, as git does it (first 8000 bytes). */
const BINARY_SNIFF_BYTES = 8 * 1024;
/** Prefix for the minified, generated-header and secret checks. */
const TEXT_PREFIX_CHARS = 64 * 1024;
const MINIFIED_MIN_BYTES = 2 * 1024;
const MINIFIED_AVERAGE_LINE = 300;
const MINIFIED_LONGEST_LINE = 5000;
/** Lines of the header comment searched for a generated-code marker (licence headers run long). */
const HEADER_LINES = 40;

/** Lock files and other files tools write, matched on the lower-cased base name. */
const GENERATED_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'cargo.lock',
  'gemfile.lock',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'composer.lock',
  'go.sum',
  'packages.lock.json',
  'paket.lock',
  'flake.lock',
  'mix.lock',
  'podfile.lock',
  'pubspec.lock',
  'deno.lock',
]);

/** Generated-code naming conventions (protobuf, gRPC, C# designers, Dart builders, kube codegen...). */
const GENERATED_NAME_PATTERN =
  /(?:\.pb\.(?:go|cc|h|swift|dart)|\.pb\.gw\.go|_pb2(?:_grpc)?\.pyi?|_pb\.(?:js|d\.ts|ts)|_grpc_pb\.(?:js|d\.ts)|\.g\.(?:cs|dart|i\.cs)|\.designer\.cs|\.freezed\.dart|\.generated\.[^./]+|_generated\.[^./]+|\.(?:js|css)\.map|\.snap)$|^zz_generated\./;

const MINIFIED_NAME_PATTERN = /[.-]min\.(?:js|mjs|cjs|css)$|\.min\.[^./]+$|\.bundle\.js$/;

/** A header comment line that says the file is machine-written. */
const GENERATED_MARKER = /@generated|do not edit|auto-?generated|automatically generated/i;
const COMMENT_START = /^(?:\/\/|\/\*|\*|#|<!--|--|;|%|'|"""|\{-|\(\*|REM\b)/;

/**
 * Why a file's content keeps it out of the index, or undefined. Looks at bounded prefixes only
 * (8 KB for binary sniffing, 64 KB for the rest), so it costs about the same for every file.
 * `content` is the raw bytes as read from disk, or already decoded text (an open document).
 */
export function contentSkipReason(
  relPath: string,
  content: Uint8Array | string,
  maxFileBytes: number,
): SkipReason | undefined {
  if (byteLengthExceeds(content, maxFileBytes)) return 'too-large';

  const name = relPath.slice(Math.max(relPath.lastIndexOf('/'), relPath.lastIndexOf('\\')) + 1).toLowerCase();
  if (GENERATED_NAMES.has(name) || GENERATED_NAME_PATTERN.test(name)) return 'generated';
  if (MINIFIED_NAME_PATTERN.test(name)) return 'minified';

  let text: string;
  if (typeof content === 'string') {
    if (looksBinaryText(content)) return 'binary';
    text = content.length > TEXT_PREFIX_CHARS ? content.slice(0, TEXT_PREFIX_CHARS) : content;
  } else {
    if (looksBinaryBytes(content)) return 'binary';
    const prefix = content.length > TEXT_PREFIX_CHARS ? content.subarray(0, TEXT_PREFIX_CHARS) : content;
    text = utf8.decode(prefix);
  }

  if (looksLikeSecretContent(text)) return 'secret';
  if (hasGeneratedHeader(text)) return 'generated';
  if (looksMinified(text, content.length)) return 'minified';
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function byteLengthExceeds(content: Uint8Array | string, max: number): boolean {
  if (typeof content !== 'string') return content.length > max;
  // UTF-16 length <= UTF-8 length <= 3 x UTF-16 length: only count bytes when it could matter.
  if (content.length > max) return true;
  if (content.length * 3 <= max) return false;
  return Buffer.byteLength(content, 'utf8') > max;
}

/**
 * Git's rule (a NUL byte in the first 8000 bytes) plus a guard for NUL-free binaries: more than 10%
 * of the sniffed bytes are invalid UTF-8 or control characters that text never contains.
 * Latin-1 text (a few accented letters) stays well under that.
 */
function looksBinaryBytes(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  let suspicious = 0;
  let i = 0;
  while (i < end) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x80) {
      // \t \n \v \f \r and ESC (ANSI colours in logs) are text; other C0 controls are not.
      if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) suspicious++;
      i++;
      continue;
    }
    // Lead bytes: C2-DF start 2-byte, E0-EF 3-byte, F0-F4 4-byte sequences; the rest never lead.
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === -1) {
      suspicious++;
      i++;
      continue;
    }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      // A sequence cut by the sniff window is fine: the rest lies beyond it.
      if (i + k >= bytes.length) break;
      if ((bytes[i + k]! & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
    }
    if (ok) i += need + 1;
    else {
      suspicious++;
      i++;
    }
  }
  return suspicious * 10 > end;
}

/** The decoded-text version: NUL characters, or many U+FFFD from a lossy decode, or C0 controls. */
function looksBinaryText(text: string): boolean {
  const end = Math.min(text.length, BINARY_SNIFF_BYTES);
  if (text.indexOf('\0') !== -1 && text.indexOf('\0') < end) return true;
  let suspicious = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1b)) suspicious++;
  }
  return suspicious * 10 > end;
}

/**
 * A marker ('@generated', 'DO NOT EDIT', 'auto-generated'...) in the file's header comment: the
 * comment lines (and block comments) before the first line of code, at most 40 lines.
 */
function hasGeneratedHeader(text: string): boolean {
  let start = 0;
  let inBlock = false;
  for (let n = 0; n < HEADER_LINES && start < text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, Math.min(end, start + 1000)).trim();
    start = end + 1;
    if (line === '') continue;
    const comment = inBlock || COMMENT_START.test(line);
    if (!comment) return false;
    if (GENERATED_MARKER.test(line)) return true;
    if (line.startsWith('/*') || line.startsWith('<!--') || line.startsWith('{-') || line.startsWith('(*')) inBlock = true;
    if (inBlock && (line.endsWith('*/') || line.endsWith('-->') || line.endsWith('-}') || line.endsWith('*)'))) inBlock = false;
  }
  return false;
}

/**
 * Average line over 300 characters (files above 2 KB), or any line over 5000, in the prefix. An
 * inline source map comment (one huge base64 line at the end of transpiled code) is metadata, not
 * code: it counts for neither.
 */
function looksMinified(prefix: string, totalLength: number): boolean {
  let lines = 0;
  let chars = 0;
  let start = 0;
  for (;;) {
    const end = prefix.indexOf('\n', start);
    const stop = end === -1 ? prefix.length : end;
    const length = stop - start;
    // Only long lines pay for the source-map test.
    const sourceMap = length > MINIFIED_AVERAGE_LINE && SOURCE_MAP_LINE.test(prefix.slice(start, start + 40));
    if (!sourceMap) {
      if (length > MINIFIED_LONGEST_LINE) return true;
      chars += length;
      lines++;
    }
    if (end === -1) break;
    start = end + 1;
  }
  // A prefix cut mid-line has a partial last line: close enough for an average.
  return totalLength > MINIFIED_MIN_BYTES && lines > 0 && chars / lines > MINIFIED_AVERAGE_LINE;
}

const SOURCE_MAP_LINE = /^\s*(?:\/\/|\/\*)[#@] source(?:Mapping)?URL=/;
