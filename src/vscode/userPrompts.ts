// Every question Bantam's frontier features ask the user, behind one interface: the instruction for
// a refactor, the question about the codebase, consent before code first leaves the machine, the
// confirmation after a diff preview, and the API key. The default implementation uses VS Code's
// input boxes and modal dialogs; integration tests swap in scripted answers through the API, since a
// modal dialog cannot be clicked from inside the extension host.
import * as vscode from 'vscode';

export type ConsentAnswer = 'send' | 'local' | 'cancel';

export interface UserPrompts {
  /** A free-text instruction or question; undefined when the user dismissed the box. */
  askText(options: { title: string; prompt: string; placeHolder?: string }): Promise<string | undefined>;
  /** Before code first goes to a frontier provider in this workspace: may these files be sent? */
  consent(providerLabel: string, files: readonly string[]): Promise<ConsentAnswer>;
  /** Before inline completion first sends the code around the cursor to a server off this machine. */
  completionConsent(host: string): Promise<boolean>;
  /** After the diff preview: apply the changes to these files? */
  confirmChanges(summary: string, files: readonly string[]): Promise<boolean>;
  /** Then, when some of them run code or configure tools: change these too, named one by one? */
  confirmSensitive(files: ReadonlyArray<{ path: string; why: string }>): Promise<boolean>;
  /** A secret value, typed into a password box. */
  askSecret(options: { title: string; prompt: string }): Promise<string | undefined>;
  /** One of a few labelled choices. */
  pick<T extends string>(title: string, items: readonly { label: string; value: T; detail?: string }[]): Promise<T | undefined>;
}

const listed = (files: readonly string[], max = 12): string =>
  files.length === 0
    ? '(no files: only your question)'
    : files.slice(0, max).join('\n') + (files.length > max ? `\n… and ${files.length - max} more` : '');

export const vscodePrompts: UserPrompts = {
  async askText({ title, prompt, placeHolder }) {
    const value = await vscode.window.showInputBox({ title, prompt, placeHolder, ignoreFocusOut: true });
    return value?.trim() ? value.trim() : undefined;
  },

  async consent(providerLabel, files) {
    const send = 'Send';
    const local = 'Use Local Model';
    const choice = await vscode.window.showWarningMessage(
      `Bantam is about to send code to ${providerLabel} for the first time in this workspace.`,
      {
        modal: true,
        detail: `These files (or parts of them) will be sent:\n${listed(files)}\n\nIf you choose Send, Bantam won't ask again for ${providerLabel} in this workspace ('Bantam: Forget Frontier Consent' asks again).`,
      },
      send,
      local,
    );
    return choice === send ? 'send' : choice === local ? 'local' : 'cancel';
  },

  async completionConsent(host) {
    const send = 'Send';
    const choice = await vscode.window.showWarningMessage(
      `Bantam would send your code to ${host}, which is not this machine or your private network.`,
      {
        modal: true,
        detail: `Inline completion sends the code around your cursor as you type; next-edit suggestions also send your recent edits and the code you looked at. Never from git-ignored, excluded or secret-looking files. If you choose Send, Bantam won't ask again for ${host} in this workspace ('Bantam: Forget Frontier Consent' asks again). Otherwise both stay off for that server until you change bantam.ollama.host or bantam.openai.baseUrl, or run 'Bantam: Restart Model'.`,
      },
      send,
    );
    return choice === send;
  },

  async confirmChanges(summary, files) {
    const apply = 'Apply';
    const choice = await vscode.window.showInformationMessage(
      summary,
      { modal: true, detail: `Files:\n${listed(files, 20)}\n\nThe change is one undoable edit.` },
      apply,
    );
    return choice === apply;
  },

  async confirmSensitive(files) {
    const apply = files.length === 1 ? `Change ${files[0]!.path}` : `Change These ${files.length} Files`;
    const choice = await vscode.window.showWarningMessage(
      `The change touches ${files.length === 1 ? 'a file' : 'files'} that can run code on your machine.`,
      {
        modal: true,
        detail: `${files.map((f) => `${f.path}: ${f.why}`).join('\n')}\n\nA model's answer can carry instructions planted in the code it read. Apply only if you expected these changes.`,
      },
      apply,
    );
    return choice === apply;
  },

  async askSecret({ title, prompt }) {
    const value = await vscode.window.showInputBox({ title, prompt, password: true, ignoreFocusOut: true });
    return value?.trim() ? value.trim() : undefined;
  },

  async pick(title, items) {
    const chosen = await vscode.window.showQuickPick(
      items.map((item) => ({ label: item.label, detail: item.detail, value: item.value })),
      { title, ignoreFocusOut: true },
    );
    return chosen?.value;
  },
};
