// The type of the receiver of a member call (`x.foo(`), read from the file, so retrieval can prefer
// `Foo`'s method `foo` over every other `foo` in the workspace. The type is taken from the nearest
// declaration of `x` above the cursor that names one: an annotation (`x: Foo`, `x *Foo` in Go, `Foo x`
// in C-family languages), a construction (`new Foo(`, `Foo(`, `Foo{`, `&Foo{`, `Foo::new(`,
// `Foo.new`, Go's `NewFoo(`), and `this`/`self` for the class the cursor is in. These are textual
// patterns, not type inference: retrieval only uses the answer when a type of that name exists and
// has a member of that name, so a wrong guess costs nothing but the narrowing.

import type { ContextLanguage } from './contextTypes';

/** Member accesses `receiver.member` (also `?.`, `->`, `::`) in a span of text: member -> receivers. */
export function memberReceivers(text: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const access = /([A-Za-z_$@][\w$]*)\s*(?:\?\.|\.|->|::)\s*(?=([A-Za-z_][\w]*))/g;
  for (let m = access.exec(text); m; m = access.exec(text)) {
    const receiver = m[1]!.replace(/^[$@]/, '');
    const member = m[2]!;
    let receivers = found.get(member);
    if (!receivers) found.set(member, (receivers = new Set()));
    receivers.add(receiver);
  }
  return found;
}

/** Characters above the cursor searched for a declaration (about 500 lines). */
export const MAX_LOOK_BACK = 20_000;

const SELF_NAMES = new Set(['this', 'self', 'Self']);
/** Words that precede a name without being its type. */
const NOT_TYPES = new Set(['return', 'new', 'const', 'let', 'var', 'val', 'final', 'static', 'public', 'private', 'protected', 'readonly', 'else', 'case', 'throw', 'await', 'yield', 'in', 'of', 'as', 'is', 'not', 'and', 'or', 'mut', 'ref', 'out', 'func', 'def', 'fn', 'function']);

/**
 * The type `variable` is declared with in `text` before `before` (the nearest declaration wins), or
 * the enclosing class for `this`/`self`; the bare type name (no package, generics or pointer).
 */
export function receiverTypeOf(
  text: string,
  variable: string,
  before: number,
  language: ContextLanguage,
  enclosingClass: string | undefined,
): string | undefined {
  if (SELF_NAMES.has(variable)) return enclosingClass;
  if (!/^[A-Za-z_][\w]*$/.test(variable)) return undefined;
  // Declarations that matter sit above the cursor in its function or class: a bounded look back
  // keeps each lookup cheap whatever the file's size.
  const head = text.slice(Math.max(0, before - MAX_LOOK_BACK), before);
  const v = variable;
  const patterns: RegExp[] = [
    // Constructions: `v = new Foo(`, `v := &pkg.Foo{`, `v = Foo(`, `let v = Foo::new(`, `v = Foo.new`.
    new RegExp(`(?:^|[^\\w$.])[$@]?${v}\\s*(?::\\s*[^=;\\n]+)?(?::=|=)\\s*(?:new\\s+|&\\s*)?([A-Za-z_][\\w.:]*)\\s*(?:<[^>\\n]*>)?\\s*(?:\\(|\\{|\\.new\\b)`, 'g'),
  ];
  if (language === 'go') {
    // Parameters, receivers and `var v Foo`: the name comes first.
    patterns.push(new RegExp(`(?:[(,]|\\bvar)\\s*${v}\\s+[*&\\[\\]]*([A-Za-z_][\\w.]*)`, 'g'));
  } else if (language === 'java' || language === 'csharp' || language === 'c' || language === 'cpp' || language === 'php') {
    // `Foo v`, `Foo<Bar> v`, `Foo *v`, `Foo $v`.
    patterns.push(new RegExp(`([A-Za-z_][\\w.:\\\\]*)[ \\t]*(?:<[^>\\n]*>)?(?:[ \\t]*[*&]+[ \\t]*|[ \\t]+)[$]?${v}\\b[ \\t]*[=;,)]`, 'g'));
  } else {
    // Annotations: `v: Foo`, `v: &mut Foo` (TS, Python, Rust, Kotlin-like).
    patterns.push(new RegExp(`(?:^|[^\\w$.])${v}\\s*\\??:\\s*(?:&\\s*(?:mut\\s+)?)?([A-Za-z_][\\w.]*)`, 'g'));
  }
  // The nearest line wins; on one line a written type beats what the value is made from
  // (`Ledger *l = make();`, `const l: Ledger = open()`).
  let best: { line: number; rank: number; type: string } | undefined;
  patterns.forEach((pattern, rank) => {
    for (let m = pattern.exec(head); m; m = pattern.exec(head)) {
      const type = bareType(m[1]!, language);
      const line = head.lastIndexOf('\n', m.index + m[0].length - 1);
      if (type && (!best || line > best.line || (line === best.line && rank > best.rank))) best = { line, rank, type };
    }
  });
  return best?.type;
}

/** `pkg.Foo` -> Foo, `Foo::new` -> Foo, `NewFoo` (Go) -> Foo. */
function bareType(written: string, language: ContextLanguage): string | undefined {
  const parts = written.split(/\.|::|\\/).filter((p) => p !== '' && p !== 'new');
  let name = parts[parts.length - 1];
  if (name === undefined || NOT_TYPES.has(name)) return undefined;
  if (language === 'go' && /^New[A-Z]/.test(name)) name = name.slice(3);
  return name;
}
