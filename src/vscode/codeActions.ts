// Bantam's code actions: on a selection, "Refactor with Bantam...", "Explain", "Add documentation"
// and "Generate tests"; on a diagnostic, "Fix with Bantam" as a quick fix. Each runs the matching
// command, which goes through the router like its palette twin.
import * as vscode from 'vscode';

export const CODE_ACTION_KINDS = [
  vscode.CodeActionKind.QuickFix,
  vscode.CodeActionKind.RefactorRewrite,
  vscode.CodeActionKind.Refactor,
] as const;

const SELECTION_ACTIONS: readonly { title: string; command: string; kind: vscode.CodeActionKind }[] = [
  { title: 'Refactor with Bantam...', command: 'bantam.refactorSelection', kind: vscode.CodeActionKind.RefactorRewrite.append('bantam') },
  { title: 'Explain with Bantam', command: 'bantam.explainSelection', kind: vscode.CodeActionKind.Refactor.append('bantam.explain') },
  { title: 'Add documentation with Bantam', command: 'bantam.documentSelection', kind: vscode.CodeActionKind.RefactorRewrite.append('bantam.document') },
  { title: 'Generate tests with Bantam', command: 'bantam.generateTests', kind: vscode.CodeActionKind.Refactor.append('bantam.tests') },
];

/** Most "Fix with Bantam" entries offered at once (one per diagnostic in the range). */
const MAX_FIXES = 3;

export class BantamCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [...CODE_ACTION_KINDS] };

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (document.uri.scheme !== 'file') return [];
    const wanted = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.slice(0, MAX_FIXES)) {
      const kind = vscode.CodeActionKind.QuickFix;
      if (!wanted(kind)) continue;
      const action = new vscode.CodeAction(`Fix with Bantam: ${diagnostic.message.split('\n')[0]!.slice(0, 60)}`, kind);
      action.diagnostics = [diagnostic];
      action.command = { title: 'Fix with Bantam', command: 'bantam.fixDiagnostic', arguments: [document.uri, diagnostic] };
      actions.push(action);
    }
    if (!range.isEmpty) {
      for (const spec of SELECTION_ACTIONS) {
        if (!wanted(spec.kind)) continue;
        const action = new vscode.CodeAction(spec.title, spec.kind);
        action.command = { title: spec.title, command: spec.command };
        actions.push(action);
      }
    }
    return actions;
  }
}
