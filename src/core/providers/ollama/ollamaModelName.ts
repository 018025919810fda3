// Ollama model names as the server lists them versus as the user typed them: `qwen2.5-coder` means
// `qwen2.5-coder:latest`, names are case-insensitive, and the default registry prefix may or may
// not be spelled out. Without this, /api/tags would report a pulled model as missing.

const DEFAULT_REGISTRY = /^registry\.ollama\.ai\/(library\/)?/;

/** The canonical form used for comparison: lower case, no default registry, always with a tag. */
export function normalizeModelName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(DEFAULT_REGISTRY, '');
  // A tag is a `:` in the last path segment; `host:port/ns/model` has a colon but no tag.
  const lastSegment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? trimmed : `${trimmed}:latest`;
}

export function sameModelName(a: string, b: string): boolean {
  return normalizeModelName(a) === normalizeModelName(b);
}
