// Type guards shared by the message protocols (the worker protocols, the chat webview protocol):
// messages cross a process, thread or webview boundary as plain data, so each side checks every field.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function isStr(v: unknown): v is string {
  return typeof v === 'string';
}
/** A whole number from 0 (counts, sizes). */
export function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}
/** A request id: any safe integer. */
export function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}
export function isBool(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

/** A short, log-safe description of a rejected message: its type only, never its content (a prompt, a document). */
export function describeRejected(v: unknown): string {
  if (!isObj(v)) return `non-object message (${v === null ? 'null' : typeof v})`;
  const type = isStr(v.type) ? v.type.slice(0, 40) : typeof v.type;
  return `malformed or unknown message of type "${type}"`;
}
