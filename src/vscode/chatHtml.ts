// The chat webview's HTML page. Pure (no `vscode` import) so the webview tests can build the very
// page the extension serves. The Content-Security-Policy is the webview's last line of defence
// against model output: only the nonce'd bundle runs, styles and fonts come only from the
// extension's own resources, nothing loads from anywhere else, and no inline style or handler is
// allowed (the app uses classes and addEventListener).

export interface ChatHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads extension resources from. */
  cspSource: string;
  /** A fresh random value per page load; only the script carrying it runs. */
  nonce: string;
  /** `webview.asWebviewUri(...)` of dist/media/chat.js, chat.css and codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

/** The Content-Security-Policy value for the page (exported for tests). */
export function chatCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ') + ';';
}

// Attribute values come from the extension (URIs, a nonce), never from model output, but they are
// escaped anyway so a path with a quote can't break the page.
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function chatHtml(options: ChatHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, codiconsUri } = options;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('The chat page nonce must be base64 or alphanumeric.');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(chatCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(codiconsUri)}">
<link rel="stylesheet" href="${attr(styleUri)}">
<title>Bantam Chat</title>
</head>
<body>
<div id="app" class="app"></div>
<script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
</body>
</html>
`;
}
