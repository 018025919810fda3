// Runs peer cases through Bantam's real completion engine: a backend that writes exactly the
// case's model output, a fresh engine per case (no cache carries over), asked as the user types and
// as an explicit trigger (Alt+\). A case passes when the document after accepting what Bantam shows
// (its text, and the rest of the line it replaces) is the case's expected document.
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import type { PeerCase } from './peerSuite';
import { shownFor } from './scriptedBackend';

export interface PeerOutcome {
  id: string;
  kind: PeerCase['kind'];
  peerFails: boolean;
  typing: boolean;
  explicit: boolean;
  /** The document Bantam's typing-triggered suggestion leads to. */
  typingDocument: string;
  explicitDocument: string;
}

/** The document after accepting what the engine shows for `c`, asked typing or explicitly. */
export async function documentAfter(c: PeerCase, explicit: boolean): Promise<string> {
  const request: CompletionRequest = {
    uri: `file:///peer/${c.relativePath}`,
    relativePath: c.relativePath,
    languageId: c.languageId,
    text: c.document,
    offset: c.offset,
    selectionEmpty: true,
    explicit,
    ...(c.indentation ? { indentation: c.indentation } : {}),
  };
  const shown = await shownFor(request, c.completion);
  if (!shown) return c.document;
  return c.document.slice(0, c.offset) + shown.text + c.document.slice(c.offset + shown.replaceLength);
}

export async function runPeerCases(cases: readonly PeerCase[]): Promise<PeerOutcome[]> {
  const outcomes: PeerOutcome[] = [];
  for (const c of cases) {
    const typingDocument = await documentAfter(c, false);
    const explicitDocument = await documentAfter(c, true);
    outcomes.push({
      id: c.id,
      kind: c.kind,
      peerFails: c.peerFails,
      typing: typingDocument === c.expectedDocument,
      explicit: explicitDocument === c.expectedDocument,
      typingDocument,
      explicitDocument,
    });
  }
  return outcomes;
}
