// The editor side of the benchmark: one open document with a cursor, changed the way VS Code
// changes it (typing, backspace, deleting a selection, inserting an accepted suggestion), and
// turned into the CompletionRequest the inline provider would hand the engine at that moment.
import type { CompletionRequest } from '../src/core/kernel/completionTypes';

export class SimulatedDocument {
  private textValue: string;
  private offsetValue: number;
  /** Bumped on every change, like VS Code's document version: a late answer for an old one is not shown. */
  private versionValue = 1;

  constructor(
    readonly relativePath: string,
    readonly languageId: string,
    text: string,
    offset: number,
  ) {
    this.textValue = text;
    this.offsetValue = offset;
  }

  get text(): string {
    return this.textValue;
  }

  get offset(): number {
    return this.offsetValue;
  }

  get version(): number {
    return this.versionValue;
  }

  insert(text: string): void {
    this.textValue = this.textValue.slice(0, this.offsetValue) + text + this.textValue.slice(this.offsetValue);
    this.offsetValue += text.length;
    this.versionValue++;
  }

  backspace(count = 1): void {
    const n = Math.min(count, this.offsetValue);
    this.textValue = this.textValue.slice(0, this.offsetValue - n) + this.textValue.slice(this.offsetValue);
    this.offsetValue -= n;
    this.versionValue++;
  }

  /** Replace [from, to) with `text`; the cursor lands after it, or at `cursor` (accepting a suggestion, or undoing one). */
  replaceRange(from: number, to: number, text: string, cursor = from + text.length): void {
    this.textValue = this.textValue.slice(0, from) + text + this.textValue.slice(to);
    this.offsetValue = cursor;
    this.versionValue++;
  }

  /** The cursor goes to `offset` (a click or a jump): the text, and so the version, stay as they are. */
  moveTo(offset: number): void {
    this.offsetValue = Math.max(0, Math.min(offset, this.textValue.length));
  }

  /** Select [from, to) and delete it; the cursor lands at `from`. */
  deleteRange(from: number, to: number): void {
    this.textValue = this.textValue.slice(0, from) + this.textValue.slice(to);
    this.offsetValue = from;
    this.versionValue++;
  }

  request(): CompletionRequest {
    return {
      uri: `file:///workspace/${this.relativePath}`,
      relativePath: this.relativePath,
      languageId: this.languageId,
      text: this.textValue,
      offset: this.offsetValue,
      selectionEmpty: true,
      explicit: false,
    };
  }
}
