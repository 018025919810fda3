// Test harness for the chat webview: serves the page the extension serves (chatHtml() with a
// nonce, the bundle from dist/media) from a loopback HTTP server, opens it in headless Debian
// chromium through playwright-core, and stands in for VS Code: a fake acquireVsCodeApi (installed
// before the app loads) records what the app posts and keeps its saved state, and host messages
// arrive through window.postMessage as VS Code delivers them. It also records everything a hostile
// answer could make the page do: requests, CSP violations, dialogs, page errors, console output.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ChatViewState, ChipView, ConversationSummary, HostMessage, TurnView, ViewMessage } from '../../../src/core/chat/chatProtocol';
import { chatHtml } from '../../../src/vscode/chatHtml';
import { repoRoot } from '../../support/repoRoot';

export const mediaDir = process.env.BANTAM_MEDIA_DIR || join(repoRoot, 'dist', 'media');
const chromiumPath = process.env.BANTAM_CHROMIUM || '/usr/bin/chromium';
// The same flags scripts/runIntegration.mjs launches the test host's browser with.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const MEDIA_FILES = ['chat.js', 'chat.css', 'codicon.css', 'codicon.ttf'];
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json',
};

declare global {
  interface Window {
    __posted: unknown[];
    __saved: unknown;
    __csp: string[];
    __flush(): Promise<void>;
    __pwned?: unknown;
  }
}

/** Installed before any page script: the fake VS Code API and the recorders. */
function initScript(saved: unknown): void {
  window.__posted = [];
  window.__saved = saved;
  window.__csp = [];
  let acquired = false;
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => {
    // VS Code allows one acquisition per page; a second would be an app bug.
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m: unknown) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__saved,
      setState: (s: unknown) => {
        window.__saved = JSON.parse(JSON.stringify(s));
      },
    };
  };
  window.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`), true);
  // Messages are delivered in order, so a marker posted after a batch arrives after the batch has
  // been handled. This listener runs before the app's and keeps the marker from it.
  const waiting = new Map<number, () => void>();
  let next = 0;
  window.addEventListener('message', (e) => {
    const token = (e.data as { __flush?: number } | null)?.__flush;
    if (typeof token !== 'number') return;
    e.stopImmediatePropagation();
    waiting.get(token)?.();
    waiting.delete(token);
  }, true);
  window.__flush = () => new Promise<void>((resolve) => {
    const token = ++next;
    waiting.set(token, resolve);
    window.postMessage({ __flush: token }, '*');
  });
}

export interface ServedPage {
  page: Page;
  origin: string;
  /** Every URL the page requested (including ones routed away). */
  requests: string[];
  /** Requests that left the page's own origin (aborted before reaching the network). */
  foreignRequests: string[];
  dialogs: string[];
  pageErrors: string[];
  console: { type: string; text: string }[];
}

export class ChatHarness {
  private browser: Browser | undefined;
  private server: http.Server | undefined;
  private origin = '';
  private readonly contexts: BrowserContext[] = [];
  nonce = randomBytes(16).toString('base64');

  async start(): Promise<void> {
    for (const f of MEDIA_FILES) {
      if (!existsSync(join(mediaDir, f))) throw new Error(`${join(mediaDir, f)} is missing: run \`node scripts/build.mjs\` first.`);
    }
    this.server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Closes the pages opened since the last call (each test gets a fresh browser context). */
  async closePages(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
  }

  html(): string {
    return chatHtml({
      cspSource: this.origin,
      nonce: this.nonce,
      scriptUri: `${this.origin}/media/chat.js`,
      styleUri: `${this.origin}/media/chat.css`,
      codiconsUri: `${this.origin}/media/codicon.css`,
    });
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.html());
      return;
    }
    const name = path.startsWith('/media/') ? path.slice('/media/'.length) : '';
    if (MEDIA_FILES.includes(name) || (name.endsWith('.map') && MEDIA_FILES.includes(name.slice(0, -4)))) {
      const file = join(mediaDir, name);
      if (existsSync(file)) {
        res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404);
    res.end();
  }

  /** Opens the chat page; `saved` is what getState() returns (a webview shown again). */
  async open(options: { saved?: unknown; viewport?: { width: number; height: number } } = {}): Promise<ServedPage> {
    const context = await this.browser!.newContext({ viewport: options.viewport ?? { width: 420, height: 700 } });
    this.contexts.push(context);
    const page = await context.newPage();
    const served: ServedPage = { page, origin: this.origin, requests: [], foreignRequests: [], dialogs: [], pageErrors: [], console: [] };
    page.on('request', (r) => served.requests.push(r.url()));
    page.on('dialog', (d) => {
      served.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    page.on('pageerror', (e) => served.pageErrors.push(String(e)));
    page.on('console', (m) => served.console.push({ type: m.type(), text: m.text() }));
    // Nothing may leave the page; if something tries, record it and never let it reach a network.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${this.origin}/`)) return route.continue();
      served.foreignRequests.push(url);
      return route.abort();
    });
    await page.addInitScript(initScript, options.saved);
    await page.goto(`${this.origin}/`);
    await page.waitForFunction(() => window.__posted.some((m) => (m as { type?: string }).type === 'ready'));
    return served;
  }
}

/** Delivers host messages the way VS Code does and waits until the app has handled them. */
export async function deliver(page: Page, ...messages: unknown[]): Promise<void> {
  await page.evaluate(async (batch) => {
    for (const m of batch) window.postMessage(m, '*');
    await window.__flush();
  }, messages);
}

export async function posted(page: Page): Promise<ViewMessage[]> {
  return (await page.evaluate(() => window.__posted)) as ViewMessage[];
}

/** Waits until the app has posted a message satisfying `match`, and returns it. */
export async function waitForPosted(page: Page, match: Partial<ViewMessage> & { type: ViewMessage['type'] }): Promise<ViewMessage> {
  const handle = await page.waitForFunction((want) => window.__posted.find((m) =>
    Object.entries(want).every(([k, v]) => JSON.stringify((m as Record<string, unknown>)[k]) === JSON.stringify(v))), match);
  return (await handle.jsonValue()) as ViewMessage;
}

/** Waits until the app's batched render has caught up with the streamed text. */
export async function waitForRenderedText(page: Page, turnId: string, text: string): Promise<void> {
  await page.waitForFunction(([id, want]) => {
    const turn = document.querySelector(`[data-turn-id="${id}"] .turn-body`);
    return !!turn && (turn as HTMLElement).innerText.includes(want!);
  }, [turnId, text] as const);
}

// ---- message builders ----

export const CONVERSATION = 'c1';

export function summary(id = CONVERSATION, title = 'Cart totals'): ConversationSummary {
  return { id, title, updatedAt: 1_700_000_000_000, turns: 2 };
}

export function stateMessage(partial: Partial<ChatViewState> = {}): HostMessage {
  return {
    type: 'state',
    state: { conversations: [summary()], activeId: CONVERSATION, turns: [], chips: [], tier: 'auto', busy: false, ...partial },
  };
}

export function userTurn(id: string, text: string, chips?: ChipView[]): TurnView {
  return { id, role: 'user', text, status: 'done', ...(chips ? { chips } : {}) };
}

export function assistantTurn(id: string, text: string, status: TurnView['status'] = 'streaming', extra: Partial<TurnView> = {}): TurnView {
  return { id, role: 'assistant', text, status, ...extra };
}

/** `text` in pieces of `size` characters, as `delta` messages for one turn. */
export function deltas(turnId: string, text: string, size: number): HostMessage[] {
  const out: HostMessage[] = [];
  for (let i = 0; i < text.length; i += size) out.push({ type: 'delta', conversationId: CONVERSATION, turnId, text: text.slice(i, i + size) });
  return out;
}

export function chip(id: string, label: string, tokens: number, kind: ChipView['kind'] = 'file'): ChipView {
  return { id, kind, label, tokens };
}
