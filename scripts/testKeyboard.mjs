// Real key presses for the integration suites: a loopback HTTP endpoint in the driver that presses
// keys in the workbench page through playwright (`page.keyboard.press`), so a suite can check what a
// key does through VS Code's own keybinding resolution (`when` clauses, context keys), which
// `vscode.commands.executeCommand` bypasses. The suites find it through env BANTAM_TEST_KEYS_URL
// (test/integration/keyboard.ts); the path carries a random token, so only this run's host uses it.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * Starts the endpoint: POST {"keys": ["Tab", "Escape", ...]} presses them in order (playwright key
 * names) and answers 204 once they were dispatched; `page()` is asked at each request, since the page
 * opens after the server's address must be known.
 */
export async function startKeyboardChannel(page) {
  const path = `/press/${randomBytes(16).toString('hex')}`;
  const server = createServer((req, res) => {
    void (async () => {
      let body = '';
      for await (const chunk of req) body += chunk;
      if (req.method !== 'POST' || req.url !== path) return res.writeHead(404).end();
      const target = page();
      if (!target) return res.writeHead(503, { 'content-type': 'text/plain' }).end('the workbench page is not open yet');
      const { keys } = JSON.parse(body);
      for (const key of keys) await target.keyboard.press(key);
      res.writeHead(204).end();
    })().catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error?.message ?? error));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
