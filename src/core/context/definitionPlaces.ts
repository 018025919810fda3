// How many places a name is defined in, for the ambiguity caps of retrieval: overloads of one function
// or method (TypeScript's `function css(...)` declared five times in one file, Java's, C#'s and C++'s
// overloads, a Python function defined in both branches of an `if`) are one definition to a caller,
// not five guesses. A place is a file and the type the definition belongs to. Twenty overloads of
// Java's `append` are still one place, so a place sends at most MAX_PER_PLACE of them.

import type { IndexedDefinition } from './contextTypes';

export function placeCount(definitions: readonly IndexedDefinition[]): number {
  if (definitions.length <= 1) return definitions.length;
  return new Set(definitions.map((d) => `${d.file}\u0000${d.container ?? ''}`)).size;
}

/** Definitions sent per place: a few overloads show the shapes; twenty would fill the budget. */
export const MAX_PER_PLACE = 3;

/** The first MAX_PER_PLACE definitions of each place, in the order given. */
export function limitPerPlace<T extends IndexedDefinition>(definitions: readonly T[]): T[] {
  if (definitions.length <= MAX_PER_PLACE) return [...definitions];
  const taken = new Map<string, number>();
  return definitions.filter((d) => {
    const place = `${d.file}\u0000${d.container ?? ''}`;
    const n = taken.get(place) ?? 0;
    taken.set(place, n + 1);
    return n < MAX_PER_PLACE;
  });
}
