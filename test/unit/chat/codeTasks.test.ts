// Tests for the routed tasks minus the UI, with a fake TaskRunner standing in for the router: what
// each task hands the runner (kind, messages, the files whose code is sent, the caller's hooks), and
// for edit tasks how the answer becomes a plan: planned against the texts the model saw rather than
// disk, other files read through the caller, and edits to paths the caller refuses refused whole.
import * as assert from 'node:assert/strict';
import { runAnswerTask, runEditTask, type TaskRunner } from '../../../src/core/chat/codeTasks';
import { buildAnswerMessages, buildEditMessages, type EditPromptInput } from '../../../src/core/chat/taskPrompts';
import type { RoutedResult, RoutedTask } from '../../../src/core/routing/router';

class FakeRunner implements TaskRunner {
  /** Each task as sent: its prompt built (as the router builds it) for a 100,000-token room. */
  readonly tasks: RoutedTask[] = [];
  readonly rooms: number[] = [];
  finishReason: RoutedResult['finishReason'] = 'stop';
  constructor(private readonly answer: string) {}

  async run(task: RoutedTask): Promise<RoutedResult> {
    const room = 100_000;
    this.rooms.push(room);
    const prompt = task.build ? await task.build(room) : { messages: task.messages ?? [], files: task.files ?? [] };
    this.tasks.push({ ...task, ...prompt });
    task.onRoute?.({ tier: 'frontier', reason: 'default for the task', provider: 'fake', model: 'fake-1' });
    task.onText?.(this.answer);
    return {
      text: this.answer,
      usage: { inputTokens: 10, outputTokens: 5, estimated: false },
      finishReason: this.finishReason,
      model: 'fake-1',
      ttftMs: 1,
      totalMs: 2,
      attempts: 1,
      tier: 'frontier',
      provider: 'fake',
      decision: { tier: 'frontier', reason: 'default for the task' },
      notices: [],
    };
  }
}

const block = (path: string, search: string, replace: string) =>
  `${path}\n\`\`\`\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;

const SEEN_CART = 'export function total(): number {\n  return 1;\n}\n';
const DISK = new Map<string, string>([
  ['src/cart.ts', 'export function total(): number {\n  return 2; // edited on disk since\n}\n'],
  ['src/item.ts', 'export const price = 1;\n'],
  ['.env', 'TOKEN=x\n'],
]);

describe('codeTasks', () => {
  describe('runEditTask', () => {
    const input: EditPromptInput = {
      kind: 'multi-file-edit',
      instruction: 'Return 3',
      files: [{ path: 'src/cart.ts', text: SEEN_CART }],
      context: [{ file: 'src/item.ts', startLine: 1, endLine: 1, text: 'export const price = 1;\n', reason: 'related' }],
    };
    const reads: string[] = [];
    const read = async (path: string) => {
      reads.push(path);
      return DISK.get(path);
    };
    beforeEach(() => (reads.length = 0));

    it('sends the edit messages with the files shown and excerpted, and passes the hooks', async () => {
      const runner = new FakeRunner('');
      const signal = new AbortController().signal;
      const chunks: string[] = [];
      const routes: string[] = [];
      await runEditTask(runner, { ...input, selection: { path: 'src/sel.ts', startLine: 1, endLine: 1, text: 'x' } }, {
        read,
        signal,
        onText: (c) => chunks.push(c),
        onRoute: (r) => routes.push(r.provider),
        requested: 'local',
        maxTokens: 321,
      });
      const task = runner.tasks[0]!;
      assert.equal(task.kind, 'multi-file-edit');
      assert.deepEqual(task.messages, buildEditMessages({ ...input, selection: { path: 'src/sel.ts', startLine: 1, endLine: 1, text: 'x' } }));
      assert.deepEqual(task.files, ['src/sel.ts', 'src/cart.ts', 'src/item.ts']);
      assert.equal(task.signal, signal);
      assert.equal(task.requested, 'local');
      assert.equal(task.maxTokens, 321);
      assert.deepEqual(routes, ['fake']);
      assert.deepEqual(chunks, ['']);
    });

    it('plans edits against the text the model saw, not the file on disk', async () => {
      const answer = block('src/cart.ts', '  return 1;\n', '  return 3;\n');
      const { plan } = await runEditTask(new FakeRunner(answer), input, { read });
      assert.deepEqual(plan.messages, []);
      assert.deepEqual(plan.changes, [
        { path: 'src/cart.ts', kind: 'modify', before: SEEN_CART, after: SEEN_CART.replace('return 1', 'return 3') },
      ]);
      assert.ok(!reads.includes('src/cart.ts'), 'a file shown whole is not read again');
    });

    it('a SEARCH quoting the disk text rather than what the model saw is refused', async () => {
      const answer = block('src/cart.ts', '  return 2; // edited on disk since\n', '  return 3;\n');
      const { plan } = await runEditTask(new FakeRunner(answer), input, { read });
      assert.deepEqual(plan.changes, []);
      assert.match(plan.messages.join('\n'), /edit 1 for src\/cart\.ts: the SEARCH text was not found/);
    });

    it('creates new files, but never changes or deletes one the model was not shown', async () => {
      const created = await runEditTask(new FakeRunner(block('src/new.ts', '', 'export {};\n')), input, { read });
      assert.deepEqual(created.plan.messages, []);
      assert.deepEqual(created.plan.changes, [{ path: 'src/new.ts', kind: 'create', before: undefined, after: 'export {};\n' }]);
      assert.ok(reads.includes('src/new.ts'), 'read to check it does not exist yet');

      const answer =
        block('src/cart.ts', '  return 1;\n', '  return 3;\n') + block('./src/item.ts', 'export const price = 1;\n', 'export const price = 2;\n');
      const { plan } = await runEditTask(new FakeRunner(answer), input, { read });
      assert.deepEqual(plan.changes, [], 'nothing is applied, not even the edit to the file it saw');
      assert.deepEqual(plan.messages, ['src/item.ts: the model was not shown src/item.ts, so it may not change it.']);

      const deleted = await runEditTask(new FakeRunner('DELETE src/item.ts\n'), input, { read });
      assert.deepEqual(deleted.plan.messages, ['src/item.ts: the model was not shown src/item.ts, so it may not delete it.']);
    });

    const refusals = [
      { name: 'a synchronous refusal', refuse: (p: string) => (p === '.env' ? 'secret-looking' : undefined) },
      { name: 'an asynchronous refusal', refuse: async (p: string) => (p === '.env' ? 'secret-looking' : undefined) },
    ];
    for (const r of refusals) {
      it(`refuses the whole plan when it touches a path refusePath rejects (${r.name}), by its normalized path`, async () => {
        const answer = block('src/cart.ts', '  return 1;\n', '  return 3;\n') + block('./.env', 'TOKEN=x\n', 'TOKEN=y\n');
        const asked: string[] = [];
        const { plan } = await runEditTask(new FakeRunner(answer), input, {
          read,
          refusePath: (p) => {
            asked.push(p);
            return r.refuse(p);
          },
        });
        assert.deepEqual(plan.changes, [], 'nothing is applied, not even the allowed edit');
        assert.ok(plan.messages.includes('.env: secret-looking.'), plan.messages.join('\n'));
        assert.deepEqual(asked.sort(), ['.env', 'src/cart.ts']);
      });
    }

    it('paths the workspace rule already refuses are reported without asking refusePath', async () => {
      const answer = block('../outside.ts', '', 'x\n');
      const asked: string[] = [];
      const { plan } = await runEditTask(new FakeRunner(answer), input, { read, refusePath: (p) => void asked.push(p) });
      assert.deepEqual(plan.changes, []);
      assert.match(plan.messages.join('\n'), /outside the workspace/);
      assert.deepEqual(asked, []);
    });
  });

  describe('an answer that did not end', () => {
    const input: EditPromptInput = {
      kind: 'refactor',
      instruction: 'Return 3',
      files: [{ path: 'src/cart.ts', text: SEEN_CART }],
      context: [],
    };
    const whole = block('src/cart.ts', '  return 1;\n', '  return 3;\n');

    it('cancelled after some text: nothing is planned, the task reports cancelled', async () => {
      const runner = new FakeRunner(whole);
      runner.finishReason = 'abort';
      await assert.rejects(runEditTask(runner, input, { read: async () => undefined }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'aborted');
        assert.match(e.message, /nothing was applied/);
        return true;
      });
    });

    for (const reason of ['length', 'timeout'] as const) {
      it(`cut off (${reason}): the blocks that arrived are not planned`, async () => {
        const runner = new FakeRunner(whole);
        runner.finishReason = reason;
        const { plan } = await runEditTask(runner, input, { read: async () => undefined });
        assert.deepEqual(plan.changes, []);
        assert.equal(plan.messages.length, 1);
        assert.match(plan.messages[0]!, /nothing was applied/);
      });
    }
  });

  describe('input gathered for the room', () => {
    it('gather gets the room and the plan is made against what it gathered', async () => {
      const runner = new FakeRunner(block('src/cart.ts', '  return 1;\n', '  return 3;\n'));
      const rooms: number[] = [];
      const { plan } = await runEditTask(
        runner,
        {
          kind: 'refactor',
          gather: async (room) => {
            rooms.push(room);
            return { kind: 'refactor', instruction: 'Return 3', files: [{ path: 'src/cart.ts', text: SEEN_CART }], context: [] };
          },
        },
        { read: async (path) => DISK.get(path) },
      );
      assert.deepEqual(rooms, [100_000]);
      assert.deepEqual(plan.messages, []);
      assert.equal(plan.changes[0]?.after, 'export function total(): number {\n  return 3;\n}\n');
    });
  });

  describe('runAnswerTask', () => {
    it('sends the answer messages with the kind, the files of the selection and excerpts (once each), and the hooks', async () => {
      const runner = new FakeRunner('It adds tax (`src/pricing.ts:3`).');
      const signal = new AbortController().signal;
      const chunks: string[] = [];
      const input = {
        kind: 'explain' as const,
        question: '',
        selection: { path: 'src/pricing.ts', startLine: 1, endLine: 4, text: 'x' },
        context: [
          { file: 'src/pricing.ts', startLine: 10, endLine: 12, text: 'y', reason: 'same file' },
          { file: 'src/cart.ts', startLine: 1, endLine: 2, text: 'z', reason: 'caller' },
          { file: 'src/cart.ts', startLine: 8, endLine: 9, text: 'w', reason: 'caller' },
        ],
      };
      const result = await runAnswerTask(runner, input, { signal, onText: (c) => chunks.push(c), requested: 'frontier', maxTokens: 99 });
      const task = runner.tasks[0]!;
      assert.equal(task.kind, 'explain');
      assert.deepEqual(task.messages, buildAnswerMessages(input));
      assert.deepEqual(task.files, ['src/pricing.ts', 'src/cart.ts']);
      assert.equal(task.signal, signal);
      assert.equal(task.requested, 'frontier');
      assert.equal(task.maxTokens, 99);
      assert.deepEqual(chunks, ['It adds tax (`src/pricing.ts:3`).']);
      assert.equal(result.text, 'It adds tax (`src/pricing.ts:3`).');
    });
  });
});
