// GPT-2's byte-to-unicode table, which byte-level BPE vocabularies (GPT-2, Qwen) use to spell every
// byte as a visible character: printable Latin-1 bytes stand for themselves, the others (control
// bytes, space, ...) are shifted to U+0100 and up, so space is 'Ġ' and newline is 'Ċ'.

/** The 256 byte tokens in vocabulary order (Qwen's ids 0-255), and the byte each one spells. */
export function byteLevelTokens(): { text: string; byte: number }[] {
  const visible: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) visible.push(b);
  for (let b = 0xa1; b <= 0xac; b++) visible.push(b);
  for (let b = 0xae; b <= 0xff; b++) visible.push(b);
  const out = visible.map((b) => ({ text: String.fromCharCode(b), byte: b }));
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (!visible.includes(b)) out.push({ text: String.fromCharCode(256 + shifted++), byte: b });
  }
  return out;
}

/** The token text that spells one byte. */
export function byteToken(byte: number): string {
  const found = byteLevelTokens().find((t) => t.byte === byte);
  if (!found) throw new Error(`not a byte: ${byte}`);
  return found.text;
}

/** Spells a UTF-8 string the way a byte-level vocabulary stores it ("a b" -> "aĠb"). */
export function spellBytes(text: string): string {
  const table = new Map(byteLevelTokens().map((t) => [t.byte, t.text]));
  return [...Buffer.from(text, 'utf8')].map((b) => table.get(b)!).join('');
}
