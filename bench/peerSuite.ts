// Reads a folder of a peer's completion post-processing cases, in the format of TabbyML/tabby's
// suite (golden/**/*.toml files and a cases.json; the folder's README gives the markers), into one
// list of cases: a document with a cursor, the model's output there, and the document the user
// should end up with. The benchmark takes such a folder as an optional path; nothing in Bantam
// needs one.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IndentStyle } from '../src/core/kernel/completionTypes';

// smol-toml is an ES module with a CommonJS build; the benchmarks are CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml } = require('smol-toml') as typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });

export interface PeerCase {
  id: string;
  kind: 'golden' | 'unit';
  languageId: string;
  relativePath: string;
  document: string;
  offset: number;
  /** What the model wrote at the cursor. */
  completion: string;
  expectation: 'text' | 'unchanged' | 'discard';
  /** The document after accepting what should be shown (the document itself for discard). */
  expectedDocument: string;
  /** The peer itself does not meet this expectation (`notEqual`, `tabbyBadCase`). */
  peerFails: boolean;
  /** The editor's indentation the case sets, if any. */
  indentation?: IndentStyle;
}

const START = '├';
const END = '┤';
const REPLACED_END = '╣';

export function loadPeerSuite(dir: string): PeerCase[] {
  if (!existsSync(dir)) throw new Error(`peer suite folder ${dir} does not exist`);
  const cases: PeerCase[] = [];
  const golden = join(dir, 'golden');
  if (existsSync(golden)) {
    for (const file of tomlFiles(golden)) cases.push(goldenCase(file, `golden/${relative(golden, file).replace(/\.toml$/, '')}`));
  }
  const json = join(dir, 'cases.json');
  if (existsSync(json)) cases.push(...unitCases(json));
  if (cases.length === 0) throw new Error(`no cases found in ${dir} (expected golden/**/*.toml or cases.json)`);
  return cases;
}

function tomlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...tomlFiles(path));
    else if (name.endsWith('.toml')) found.push(path);
  }
  return found;
}

interface GoldenToml {
  context?: { filepath?: string; language?: string; text?: string; indentation?: string };
  expected?: { text?: string; unchanged?: boolean; discard?: boolean };
  notEqual?: boolean;
}

function goldenCase(file: string, id: string): PeerCase {
  const toml = parseToml(readFileSync(file, 'utf8')) as GoldenToml;
  const context = toml.context;
  if (!context?.text || !context.language) throw new Error(`${file}: [context] needs text and language`);
  const marked = context.text;
  const start = marked.indexOf(START);
  const end = marked.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: [context] text needs ${START} and ${END}`);
  const document = marked.slice(0, start) + marked.slice(end + END.length);
  const completion = marked.slice(start + START.length, end);
  const expected = toml.expected ?? {};
  let expectation: PeerCase['expectation'];
  let expectedDocument: string;
  if (expected.discard) {
    expectation = 'discard';
    expectedDocument = document;
  } else if (expected.unchanged) {
    expectation = 'unchanged';
    expectedDocument = document.slice(0, start) + completion + document.slice(start);
  } else if (typeof expected.text === 'string') {
    expectation = 'text';
    expectedDocument = expectedFromMarkers(expected.text, file);
  } else {
    throw new Error(`${file}: [expected] needs text, unchanged or discard`);
  }
  return {
    id,
    kind: 'golden',
    languageId: context.language,
    relativePath: context.filepath ?? `${id}.txt`,
    document,
    offset: start,
    completion,
    expectation,
    expectedDocument,
    peerFails: toml.notEqual === true,
    ...(context.indentation !== undefined ? { indentation: indentationOf(context.indentation) } : {}),
  };
}

/** Text before ├, what is shown (├..┤), then the document from ╣ (or from ┤ when nothing is replaced). */
function expectedFromMarkers(text: string, file: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: [expected] text needs ${START} and ${END}`);
  const replacedEnd = text.indexOf(REPLACED_END);
  const after = replacedEnd >= 0 ? text.slice(replacedEnd + REPLACED_END.length) : text.slice(end + END.length);
  return text.slice(0, start) + text.slice(start + START.length, end) + after;
}

interface UnitJson {
  cases: Array<{
    id: string;
    language: string | null;
    document: string;
    cursor: number;
    completion: string;
    expected: 'text' | 'unchanged' | 'discard';
    expectedDocument: string;
    editorIndentation?: string;
    tabbyBadCase?: boolean;
  }>;
}

function unitCases(file: string): PeerCase[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as UnitJson;
  return json.cases.map((c) => ({
    id: c.id,
    kind: 'unit',
    // The suite's documents without a language are JavaScript-like.
    languageId: c.language ?? 'javascript',
    relativePath: `cases/${c.id}.${c.language === 'python' ? 'py' : c.language === 'typescript' ? 'ts' : 'js'}`,
    document: c.document,
    offset: c.cursor,
    completion: c.completion,
    expectation: c.expected,
    expectedDocument: c.expectedDocument,
    peerFails: c.tabbyBadCase === true,
    ...(c.editorIndentation !== undefined ? { indentation: indentationOf(c.editorIndentation) } : {}),
  }));
}

function indentationOf(unit: string): IndentStyle {
  return unit.includes('\t') ? { useTabs: true, size: 4 } : { useTabs: false, size: Math.max(1, unit.length) };
}
