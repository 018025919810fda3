// Test helper: source text with a cursor marker (`█`) becomes document text plus cursor offset, so
// table-driven tests can show where the cursor is inside the code they exercise.
import type { CompletionRequest } from '../../src/core/kernel/completionTypes';

export const CURSOR = '█';

export interface TextAtCursor {
  text: string;
  offset: number;
}

/** Splits "const x = foo(█)" into { text: "const x = foo()", offset: 14 }. Exactly one marker. */
export function withCursor(source: string): TextAtCursor {
  const offset = source.indexOf(CURSOR);
  if (offset < 0 || source.indexOf(CURSOR, offset + 1) >= 0) {
    throw new Error(`expected exactly one ${CURSOR} in ${JSON.stringify(source)}`);
  }
  return { text: source.slice(0, offset) + source.slice(offset + CURSOR.length), offset };
}

/** A completion request for `source` (with its cursor marker); fields can be overridden. */
export function requestAt(source: string, overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  const { text, offset } = withCursor(source);
  return {
    uri: 'file:///work/src/example.ts',
    relativePath: 'src/example.ts',
    languageId: 'typescript',
    text,
    offset,
    selectionEmpty: true,
    explicit: false,
    ...overrides,
  };
}
