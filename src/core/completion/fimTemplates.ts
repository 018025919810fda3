// Joining a family's FIM markers (models/fimFamilies.ts) around a prefix and a suffix, and the
// family's control strings as they could leak into generated text; promptBuilder.ts decides what goes
// into the slots.
import type { FimFamily } from '../kernel/completionTypes';
import { fimTemplate, type FimTemplate } from '../models/fimFamilies';

/** The plain FIM part in the family's native order: PSM, or SPM for suffix-first families. */
export function renderFim(template: FimTemplate, prefix: string, suffix: string): string {
  return template.suffixFirst
    ? `${template.suffix}${suffix}${template.prefix}${prefix}${template.middle}`
    : `${template.prefix}${prefix}${template.suffix}${suffix}${template.middle}`;
}

/**
 * Control strings of the family as they could leak into generated text: the stop strings and the
 * markers without their padding spaces. Used by postprocess to cut output a backend did not stop.
 */
export function controlStrings(family: FimFamily): readonly string[] {
  const t = fimTemplate(family);
  const all = new Set<string>(t.stop);
  for (const marker of [t.prefix, t.suffix, t.middle]) if (marker.trim()) all.add(marker.trim());
  if (t.repo) {
    all.add(t.repo.repoName);
    all.add(t.repo.fileSep);
  }
  return [...all];
}
