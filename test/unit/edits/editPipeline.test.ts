// Tests for the answer -> plan pipeline beyond the corpus: a file edited while the model answered
// refuses the plan even when its SEARCH text still matches, problems in the answer refuse edits that
// would otherwise apply, and policy refusals reach the messages.
import * as assert from 'node:assert/strict';
import { NO_EDITS_MESSAGE, planFromAnswer } from '../../../src/core/edits/editPipeline';
import { takeSnapshot } from '../../../src/core/edits/staleCheck';

const ANSWER = ['src/a.ts', '<<<<<<< SEARCH', 'a', '=======', 'A', '>>>>>>> REPLACE'].join('\n');

describe('planFromAnswer', () => {
  const cases: Array<{ name: string; files: Record<string, string>; answer: string; snapshot?: Record<string, string | undefined>; messages: string[]; changed: string[] }> = [
    { name: 'a clean answer plans its change', files: { 'src/a.ts': 'a\nb\n' }, answer: ANSWER, messages: [], changed: ['src/a.ts'] },
    {
      name: 'an unchanged snapshot lets the plan through',
      files: { 'src/a.ts': 'a\nb\n' },
      answer: ANSWER,
      snapshot: { 'src/a.ts': 'a\nb\n' },
      messages: [],
      changed: ['src/a.ts'],
    },
    {
      name: 'a file edited since the request refuses the plan although SEARCH still matches',
      files: { 'src/a.ts': 'a\nb\nc\n' },
      answer: ANSWER,
      snapshot: { 'src/a.ts': 'a\nb\n' },
      messages: ['src/a.ts changed since the request; nothing was applied. Run the command again.'],
      changed: [],
    },
    {
      name: 'a file created since the request refuses the plan',
      files: { 'src/a.ts': 'a\n', 'src/new.ts': 'x\n' },
      answer: ANSWER,
      snapshot: { 'src/a.ts': 'a\n', 'src/new.ts': undefined },
      messages: ['src/new.ts changed since the request; nothing was applied. Run the command again.'],
      changed: [],
    },
    {
      name: 'a problem in the answer refuses edits that would apply',
      files: { 'src/a.ts': 'a\n' },
      answer: `${ANSWER}\nsrc/a.ts\n<<<<<<< SEARCH\nb\n`,
      messages: ['answer line 8: Block opened at line 8 never reached "======="; it was skipped.'],
      changed: [],
    },
    { name: 'an answer with no edits says so', files: {}, answer: 'Looks fine to me.', messages: [NO_EDITS_MESSAGE], changed: [] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const snapshots = c.snapshot && Object.entries(c.snapshot).map(([p, t]) => takeSnapshot(p, t));
      const plan = await planFromAnswer(c.answer, async (p) => c.files[p], snapshots ? { snapshots } : {});
      assert.deepEqual(plan.messages, c.messages);
      assert.deepEqual(plan.changes.map((ch) => ch.path), c.changed);
    });
  }

  it('refuses an answer with more than 200 edits without planning any', async () => {
    const block = (i: number) => `src/a.ts\n\`\`\`ts\n<<<<<<< SEARCH\nline ${i}\n=======\nLINE ${i}\n>>>>>>> REPLACE\n\`\`\`\n`;
    let reads = 0;
    const plan = await planFromAnswer(Array.from({ length: 201 }, (_, i) => block(i)).join('\n'), async () => {
      reads++;
      return 'a\n';
    });
    assert.deepEqual(plan.changes, []);
    assert.match(plan.messages[0] ?? '', /holds 201 edits; Bantam applies at most 200/);
    assert.equal(reads, 0);
  });

  it('passes allowPath through and reports its reason', async () => {
    const plan = await planFromAnswer(ANSWER, async () => 'a\n', { allowPath: () => 'not one of the files shown to the model' });
    assert.deepEqual(plan.messages, ['src/a.ts: not one of the files shown to the model.']);
    assert.equal(plan.changeProblems[0]!.code, 'refused-path');
  });
});
