// Small readers of tree-sitter nodes that the cursor code and the languages' cursor rules share.
import type { Node } from 'web-tree-sitter';

/** A node's source text; undefined without a node. */
export function textOf(text: string, node: Node | null | undefined): string | undefined {
  return node ? text.slice(node.startIndex, node.endIndex) : undefined;
}

/** The usual name of a definition node: its `name` field. */
export function nameField(node: Node, text: string): string | undefined {
  return textOf(text, node.childForFieldName('name'));
}

/** Indentation (columns of leading whitespace) of the line containing `index`. */
export function indentOfLineAt(text: string, index: number): number {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  let column = 0;
  while (start + column < text.length && (text[start + column] === ' ' || text[start + column] === '\t')) column++;
  return column;
}
