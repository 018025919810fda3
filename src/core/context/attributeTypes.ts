// The types of a class's attributes as its own text shows them, so a line not yet typed inside a
// method can offer what `self._loop.` or `this.ledger.` will reach: an attribute assigned a
// construction (`self.x = Foo(...)`, `this.x = new Foo()`), annotated (`self.x: Foo = ...`, a
// TypeScript field or parameter property `private readonly x: Foo`), or assigned a parameter whose
// annotation names the type (`def __init__(self, loop: Loop): self._loop = loop`). Textual patterns
// like receiverTypes.ts's: newLineCandidates.ts only uses a type that the index knows as a type.

/** Bare type name: `pkg.Foo` -> Foo, `Foo[int]`/`Foo<T>` are cut before the bracket by the patterns. */
function bare(written: string): string {
  return written.slice(written.lastIndexOf('.') + 1);
}

const TYPE = '([A-Za-z_][\\w.]*)';
/** `self.x` / `this.x` (`$this->x` too), the attribute's name captured. */
const ATTRIBUTE = '(?:\\bself|\\bthis|\\$this)(?:\\.|->)([A-Za-z_]\\w*)';
/** Words after `self.x:` that end a statement (`if self.x: return`) rather than name a type. */
const NOT_TYPES = new Set(['return', 'pass', 'continue', 'break', 'raise', 'yield', 'await', 'del']);

/** Attribute name -> bare type name, for the attributes `classText` gives a type. */
export function attributeTypes(classText: string): Map<string, string> {
  const types = new Map<string, string>();
  const annotated = new Set<string>();
  // Annotations first: a written type beats what the value is made from.
  const annotations = [
    new RegExp(`${ATTRIBUTE}[ \\t]*:[ \\t]*${TYPE}`, 'g'),
    new RegExp(`\\b(?:private|public|protected|readonly)\\s+(?:readonly\\s+)?([A-Za-z_]\\w*)\\s*[?!]?\\s*:\\s*${TYPE}`, 'g'),
  ];
  for (const pattern of annotations) {
    for (let m = pattern.exec(classText); m; m = pattern.exec(classText)) {
      if (annotated.has(m[1]!) || NOT_TYPES.has(m[2]!)) continue;
      annotated.add(m[1]!);
      types.set(m[1]!, bare(m[2]!));
    }
  }
  const construction = new RegExp(`${ATTRIBUTE}[ \\t]*=[ \\t]*(?:new\\s+)?${TYPE}\\s*(?:<[^>\\n]*>)?\\s*\\(`, 'g');
  for (let m = construction.exec(classText); m; m = construction.exec(classText)) {
    if (!types.has(m[1]!)) types.set(m[1]!, bare(m[2]!));
  }
  // `self.x = x`: the parameter's annotation in the nearest signature above (one pass for all).
  const parameters = annotatedParameters(classText);
  const fromParameter = new RegExp(`${ATTRIBUTE}[ \\t]*=[ \\t]*([A-Za-z_]\\w*)[ \\t]*;?[ \\t]*$`, 'gm');
  for (let m = fromParameter.exec(classText); m; m = fromParameter.exec(classText)) {
    if (types.has(m[1]!)) continue;
    const declared = parameters.get(m[2]!)?.filter((p) => p.at < m!.index).pop();
    if (declared) types.set(m[1]!, declared.type);
  }
  return types;
}

/** Annotated parameters (`(loop: Loop`, `, private bank: Bank`): name -> where and with which type, in order. */
function annotatedParameters(text: string): Map<string, { at: number; type: string }[]> {
  const found = new Map<string, { at: number; type: string }[]>();
  const declared = new RegExp(`[(,]\\s*(?:(?:private|public|protected|readonly)\\s+)*([A-Za-z_]\\w*)\\s*\\??\\s*:\\s*${TYPE}`, 'g');
  for (let m = declared.exec(text); m; m = declared.exec(text)) {
    let list = found.get(m[1]!);
    if (!list) found.set(m[1]!, (list = []));
    list.push({ at: m.index, type: bare(m[2]!) });
  }
  return found;
}

/** The attributes a span of text reads or writes (`self.x`, `this.x`). */
export function attributesUsed(text: string): Set<string> {
  const used = new Set<string>();
  const pattern = new RegExp(ATTRIBUTE, 'g');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) used.add(m[1]!);
  return used;
}
