// How many places a name is defined in, for the ambiguity caps of retrieval: overloads of one function
// or method (TypeScript's `function css(...)` declared five times in one file, Java's, C#'s and C++'s
// overloads, a Python function defined in both branches of an `if`) are one definition to a caller,
// not five guesses. A place is a file and the type the definition belongs to.

import type { IndexedDefinition } from './contextTypes';

export function placeCount(definitions: readonly IndexedDefinition[]): number {
  if (definitions.length <= 1) return definitions.length;
  return new Set(definitions.map((d) => `${d.file}\u0000${d.container ?? ''}`)).size;
}
