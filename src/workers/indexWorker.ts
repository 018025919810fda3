// Entry point of the index worker thread (bundled to dist/indexWorker.js). It owns one
// ContextWorkspace: web-tree-sitter, its WebAssembly memory (which never shrinks) and the symbol
// index live here, so parsing thousands of files never blocks the extension host's event loop and
// the host can recycle the whole thread to give the memory back.
//
// It speaks indexProtocol over parentPort. Requests run concurrently: a full index yields between
// files, so retrieve and search requests are answered while it runs. Nothing is ever thrown across the
// boundary: every failure becomes an `error` message with the request's id, and a malformed message
// is answered with `bad-message` (when it has an id) and logged.

import { parentPort } from 'node:worker_threads';
import { ContextWorkspace } from '../core/context/contextWorkspace';
import {
  describeRejected,
  messageId,
  parseIndexHostMessage,
  type IndexErrorCode,
  type IndexHostMessage,
  type IndexWorkerMessage,
  type InitMessage,
} from '../core/context/indexProtocol';

const port = parentPort;
if (!port) throw new Error('indexWorker must run as a worker thread.');

function send(message: IndexWorkerMessage): void {
  port!.postMessage(message);
}

function log(line: string): void {
  send({ type: 'log', line });
}

function fail(id: number | undefined, code: IndexErrorCode, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  send(id === undefined ? { type: 'error', code, message } : { type: 'error', id, code, message });
}

class IndexWorker {
  private workspace: ContextWorkspace | undefined;
  /** Cancellable requests in flight (indexAll, retrieve, search), by id. */
  private readonly running = new Map<number, AbortController>();

  handle(message: IndexHostMessage): void {
    if (message.type === 'init') {
      this.init(message);
      return;
    }
    if (message.type === 'cancel') {
      this.running.get(message.id)?.abort();
      return;
    }
    const ws = this.workspace;
    if (!ws) {
      if ('id' in message) fail(message.id, 'not-initialized', new Error('The index worker has not been initialised.'));
      else log(`dropped ${message.type}: not initialised`);
      return;
    }
    switch (message.type) {
      case 'indexAll': {
        const controller = new AbortController();
        this.running.set(message.id, controller);
        ws.indexAll((progress) => send({ type: 'progress', id: message.id, progress }), controller.signal, {
          fresh: message.fresh === true,
        })
          .then((progress) => send({ type: 'indexed', id: message.id, progress }))
          .catch((e: unknown) => fail(message.id, 'failed', e))
          .finally(() => this.running.delete(message.id));
        return;
      }
      case 'retrieve': {
        const controller = new AbortController();
        this.running.set(message.id, controller);
        ws.retrieve(message.request)
          .then((result) => {
            // A cancelled request's answer is worthless to the host, which has already moved on.
            if (controller.signal.aborted) fail(message.id, 'cancelled', new Error('Retrieval was cancelled.'));
            else send({ type: 'context', id: message.id, result });
          })
          .catch((e: unknown) => fail(message.id, 'failed', e))
          .finally(() => this.running.delete(message.id));
        return;
      }
      case 'search': {
        const controller = new AbortController();
        this.running.set(message.id, controller);
        ws.searchCodebase(message.query)
          .then((result) => {
            if (controller.signal.aborted) fail(message.id, 'cancelled', new Error('The codebase search was cancelled.'));
            else send({ type: 'search', id: message.id, result });
          })
          .catch((e: unknown) => fail(message.id, 'failed', e))
          .finally(() => this.running.delete(message.id));
        return;
      }
      // Both wait for the workspace to be ready, like events do, so they see earlier events' effects.
      case 'stats':
        ws.whenReady()
          .then(() => send({ type: 'stats', id: message.id, stats: ws.stats() }))
          .catch((e: unknown) => fail(message.id, 'failed', e));
        return;
      case 'files':
        ws.whenReady()
          .then(() => send({ type: 'files', id: message.id, files: [...ws.index.files()].sort() }))
          .catch((e: unknown) => fail(message.id, 'failed', e));
        return;
      case 'shutdown':
        for (const c of this.running.values()) c.abort();
        ws.close()
          .catch((e: unknown) => log(`shutdown: ${e instanceof Error ? e.message : String(e)}`))
          .finally(() => {
            send({ type: 'ok', id: message.id });
            port!.close();
          });
        return;
      case 'fileEvent': {
        const op =
          message.event === 'deleted'
            ? ws.fileDeleted(message.file)
            : message.event === 'created'
              ? ws.fileCreated(message.file)
              : ws.fileChanged(message.file);
        this.background(op, `${message.event} ${message.file}`);
        return;
      }
      case 'fileRenamed':
        this.background(ws.fileRenamed(message.from, message.to), `rename ${message.from}`);
        return;
      case 'documentOpened':
        this.background(ws.documentOpened(message.file, message.languageId, message.text), `open ${message.file}`);
        return;
      case 'documentChanged':
        this.background(ws.documentChanged(message.file, message.text, message.changes), `change ${message.file}`);
        return;
      case 'documentClosed':
        this.background(ws.documentClosed(message.file), `close ${message.file}`);
        return;
      case 'viewed':
        this.background(ws.viewed(message.file, message.startLine, message.endLine), `view ${message.file}`);
        return;
    }
  }

  private init(message: InitMessage): void {
    if (this.workspace) {
      fail(message.id, 'bad-message', new Error('The index worker is already initialised.'));
      return;
    }
    try {
      this.workspace = new ContextWorkspace({
        root: message.root,
        folders: message.folders,
        grammarDir: message.grammarDir,
        storageDir: message.storageDir,
        excludeGlobs: message.excludeGlobs,
        maxFileBytes: message.maxFileBytes,
        maxFiles: message.maxFiles,
        log,
      });
      send({ type: 'ok', id: message.id });
    } catch (e) {
      fail(message.id, 'failed', e);
    }
  }

  private background(op: Promise<void>, what: string): void {
    op.catch((e: unknown) => log(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}

const worker = new IndexWorker();
port.on('message', (raw: unknown) => {
  const message = parseIndexHostMessage(raw);
  if (!message) {
    const why = describeRejected(raw);
    log(`rejected ${why}`);
    const id = messageId(raw);
    if (id !== undefined) fail(id, 'bad-message', new Error(`The index worker rejected a ${why}.`));
    return;
  }
  try {
    worker.handle(message);
  } catch (e) {
    fail(messageId(message), 'failed', e);
  }
});
