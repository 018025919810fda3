// A loopback pass-through proxy in front of a real server (the team-server suite's llama-server):
// every request goes on unchanged and its answer comes back unchanged, byte for byte, while both are
// recorded, so a suite can check what Bantam sent a real server and what the server answered. A
// client that hangs up ends the upstream request too, as it would have without the proxy.
// Dependency-free so the integration suites inside VS Code can use it.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody, readBody } from './loopbackHttp';

export interface ProxiedExchange {
  method: string;
  path: string;
  /** The request body as JSON (the raw text when it was not JSON). */
  body: unknown;
  /** The server's status; undefined while it has not answered or when it could not be reached. */
  status?: number;
  /** The server's answer as received so far (SSE text for a stream). */
  response: string;
  /** How the exchange ended: undefined while it runs. */
  ended?: 'complete' | 'client-closed' | 'upstream-error';
}

export interface RecordingProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly exchanges: ProxiedExchange[];
  /** The exchanges whose path is `path` (query ignored), oldest first. */
  to(path: string): ProxiedExchange[];
  close(): Promise<void>;
}

/** The text of every `data:` event of an SSE answer that is JSON, parsed; [DONE] and the rest skipped. */
export function sseEvents(response: string): unknown[] {
  const events: unknown[] = [];
  for (const line of response.split('\n')) {
    const data = /^data: ?(.*)$/.exec(line.trimEnd())?.[1];
    if (data === undefined || data === '[DONE]') continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      // not JSON: not an event this helper reads
    }
  }
  return events;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: ProxiedExchange[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const exchange: ProxiedExchange = { method: req.method ?? 'GET', path: req.url ?? '/', body: parseBody(text), response: '' };
      exchanges.push(exchange);
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
      // A connection per request: a kept-alive one the server has closed meanwhile (llama-server drops
      // idle ones after 5 s) would fail the next request here, which Bantam would see as a fault.
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: exchange.method, path: exchange.path, headers, agent: false },
        (answer) => {
          exchange.status = answer.statusCode;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on('data', (chunk: Buffer) => {
            exchange.response += chunk.toString('utf8');
            res.write(chunk);
          });
          answer.on('end', () => {
            exchange.ended ??= 'complete';
            res.end();
          });
        },
      );
      forward.on('error', () => {
        exchange.ended ??= 'upstream-error';
        // The socket goes down as the server's would: the client sees a refused or broken connection.
        res.destroy();
      });
      res.on('close', () => {
        if (!res.writableFinished) {
          exchange.ended ??= 'client-closed';
          forward.destroy();
        }
      });
      forward.end(text);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    to: (path) => exchanges.filter((e) => e.path.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
