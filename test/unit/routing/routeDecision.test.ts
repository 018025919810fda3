// decideRoute over every task kind x every routing situation: defaults, frontier off, untrusted
// workspace, frontier not set up, per-request picks, global and per-task settings and their
// precedence, prompts that overflow the local window, and nothing set up at all. Each scenario says
// what a task whose default is local and one whose default is frontier should get.
import * as assert from 'node:assert/strict';
import { configFrom, type RoutingConfig } from '../../../src/core/config';
import type { Tier } from '../../../src/core/kernel/chatTypes';
import {
  decideRoute,
  FRONTIER_OFF_REASON,
  UNTRUSTED_REASON,
  type ProviderAvailability,
  type RouteInput,
} from '../../../src/core/routing/routeDecision';
import { DEFAULT_TIER, TASK_KINDS, type TaskKind } from '../../../src/core/kernel/taskKinds';

const LOCAL: ProviderAvailability = { available: true, label: 'embedded', model: 'qwen-7b', contextWindow: 4096 };
const FRONTIER: ProviderAvailability = { available: true, label: 'anthropic', model: 'claude-sonnet-4-5', contextWindow: 200_000 };
const NO_KEY = "no API key for Anthropic; run 'Bantam: Set API Key'";
const NO_LOCAL = 'no local chat model is set up; run "Bantam: Download Model" or set bantam.routing.localProvider.';

function config(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  return { ...configFrom({}).routing, ...overrides };
}

/** What a scenario should produce: notice null = no notice; otherwise every listed fragment appears. */
interface Expect {
  tier: Tier | 'none';
  reason?: string;
  notice: string[] | null;
}

interface Scenario {
  name: string;
  input: Partial<Omit<RouteInput, 'task'>>;
  /** For tasks other than inline completion, by their default tier. */
  expect: (task: TaskKind, defaultTier: Tier) => Expect;
  /** For inline completion (always local); defaults to local with no notice. */
  inline?: Expect;
}

const INLINE_LOCAL: Expect = { tier: 'local', reason: 'inline completion always runs locally', notice: null };
const fitsLocally = { promptTokens: 1000, answerTokens: 500 };
/** Prompt alone larger than the local window. */
const hugePrompt = { promptTokens: 9000, answerTokens: 1000 };
/** Prompt fits the window but prompt + answer do not: 3,500 + 1,000 > 4,096. */
const tightPrompt = { promptTokens: 3500, answerTokens: 1000 };
const OVERFLOW_REASON = 'prompt 9,000 + answer 1,000 tokens > local window 4,096';

/** A frontier task that must fall back locally because of `why`. */
function fallsBack(why: string) {
  return (task: TaskKind, def: Tier): Expect =>
    def === 'frontier'
      ? { tier: 'local', reason: `default for ${task}; frontier unusable`, notice: ['Answering with the local model (qwen-7b)', why] }
      : { tier: 'local', reason: `default for ${task}`, notice: null };
}

const scenarios: Scenario[] = [
  {
    name: 'defaults, everything set up',
    input: {},
    expect: (task, def) => ({ tier: def, reason: `default for ${task}`, notice: null }),
  },
  {
    // The default answer cap (4,096) is a cap, not a size: it must not push every task off a 4,096-token local model.
    name: 'a frontier-sized answer cap with a small prompt',
    input: { promptTokens: 1000, answerTokens: 4096 },
    expect: (task, def) => ({ tier: def, reason: `default for ${task}`, notice: null }),
  },
  {
    name: 'a prompt that leaves less than a quarter of the local window for the answer',
    input: { promptTokens: 3100, answerTokens: 4096 },
    expect: (task, def) =>
      def === 'frontier'
        ? { tier: 'frontier', reason: `default for ${task}`, notice: null }
        : {
            tier: 'frontier',
            reason: 'prompt 3,100 + answer 1,024 tokens > local window 4,096',
            notice: ['because the prompt and answer (4,124 tokens) do not fit', '4,096-token window'],
          },
  },
  { name: 'frontier turned off', input: { config: config({ frontierEnabled: false }) }, expect: fallsBack(FRONTIER_OFF_REASON) },
  { name: 'untrusted workspace', input: { trusted: false }, expect: fallsBack(UNTRUSTED_REASON) },
  {
    name: 'frontier provider not set up',
    input: { frontier: { available: false, reason: NO_KEY } },
    expect: fallsBack(NO_KEY),
  },
  {
    name: 'user picks frontier',
    input: { requested: 'frontier' },
    expect: () => ({ tier: 'frontier', reason: 'user picked frontier', notice: null }),
  },
  {
    name: 'user picks local',
    input: { requested: 'local' },
    expect: () => ({ tier: 'local', reason: 'user picked local', notice: null }),
  },
  {
    name: 'user picks frontier, but frontier is off',
    input: { requested: 'frontier', config: config({ frontierEnabled: false }) },
    expect: () => ({
      tier: 'local',
      reason: 'user picked frontier; frontier unusable',
      notice: ['Answering with the local model (qwen-7b)', FRONTIER_OFF_REASON],
    }),
  },
  {
    name: "user picks 'auto': the settings decide",
    input: { requested: 'auto', config: config({ tier: 'frontier' }) },
    expect: () => ({ tier: 'frontier', reason: 'bantam.routing.tier is frontier', notice: null }),
  },
  {
    name: 'global tier frontier',
    input: { config: config({ tier: 'frontier' }) },
    expect: () => ({ tier: 'frontier', reason: 'bantam.routing.tier is frontier', notice: null }),
  },
  {
    name: 'global tier local',
    input: { config: config({ tier: 'local' }) },
    expect: () => ({ tier: 'local', reason: 'bantam.routing.tier is local', notice: null }),
  },
  {
    name: 'per-task local beats global frontier',
    input: { config: config({ tier: 'frontier', tasks: Object.fromEntries(TASK_KINDS.map((t) => [t, 'local'])) }) },
    expect: (task) => ({ tier: 'local', reason: `bantam.routing.tasks sets local for ${task}`, notice: null }),
  },
  {
    name: "per-task 'auto' falls through to the global tier",
    input: { config: config({ tier: 'local', tasks: Object.fromEntries(TASK_KINDS.map((t) => [t, 'auto'])) }) },
    expect: () => ({ tier: 'local', reason: 'bantam.routing.tier is local', notice: null }),
  },
  {
    name: 'request beats per-task setting',
    input: { requested: 'frontier', config: config({ tasks: Object.fromEntries(TASK_KINDS.map((t) => [t, 'local'])) }) },
    expect: () => ({ tier: 'frontier', reason: 'user picked frontier', notice: null }),
  },
  {
    name: 'prompt over the local window: local-default tasks move to the frontier',
    input: hugePrompt,
    expect: (task, def) =>
      def === 'frontier'
        ? { tier: 'frontier', reason: `default for ${task}`, notice: null }
        : { tier: 'frontier', reason: OVERFLOW_REASON, notice: ['Answering with anthropic (claude-sonnet-4-5)', '10,000 tokens', '4,096-token window'] },
    inline: INLINE_LOCAL,
  },
  {
    name: 'prompt over the local window, frontier off: local anyway, and it may fail',
    input: { ...hugePrompt, config: config({ frontierEnabled: false }) },
    expect: (task, def) => ({
      tier: 'local',
      reason: def === 'frontier' ? `default for ${task}; frontier unusable; ${OVERFLOW_REASON}` : `default for ${task}; ${OVERFLOW_REASON}`,
      notice: ['Answering with the local model (qwen-7b)', FRONTIER_OFF_REASON, 'the prompt alone (9,000 tokens)', 'may fail'],
    }),
  },
  {
    name: 'prompt fits but the answer does not, untrusted: the answer is cut short',
    input: { ...tightPrompt, trusted: false },
    expect: (task, def) => ({
      tier: 'local',
      reason: `default for ${task}; ${def === 'frontier' ? 'frontier unusable; ' : ''}prompt 3,500 + answer 1,000 tokens > local window 4,096`,
      notice: [UNTRUSTED_REASON, 'cut short at about 596 tokens'],
    }),
  },
  {
    name: 'prompt over the local window, but the user chose local: stays local',
    input: { ...hugePrompt, config: config({ tier: 'local' }) },
    expect: () => ({
      tier: 'local',
      reason: `bantam.routing.tier is local; ${OVERFLOW_REASON}`,
      notice: ['Answering with the local model (qwen-7b) as selected (bantam.routing.tier is local)', 'may fail'],
    }),
  },
  {
    name: 'local model not set up: local-default tasks go to the frontier',
    input: { local: { available: false, reason: NO_LOCAL } },
    expect: (task, def) =>
      def === 'frontier'
        ? { tier: 'frontier', reason: `default for ${task}`, notice: null }
        : {
            tier: 'frontier',
            reason: `default for ${task}; local model unavailable`,
            notice: ['Answering with anthropic (claude-sonnet-4-5)', 'local model is unavailable', 'bantam.routing.localProvider'],
          },
    inline: { tier: 'none', notice: ['Inline completion runs only on the local model', 'Download Model'] },
  },
  {
    name: 'local model not set up and the user chose local: nothing answers',
    input: { local: { available: false, reason: NO_LOCAL }, requested: 'local' },
    expect: () => ({ tier: 'none', notice: ['The local tier is selected (user picked local)', 'Download Model'] }),
    inline: { tier: 'none', notice: ['Inline completion runs only on the local model'] },
  },
  {
    name: 'neither set up',
    input: { local: { available: false, reason: NO_LOCAL }, frontier: { available: false, reason: NO_KEY } },
    expect: () => ({ tier: 'none', notice: ['No model can answer this', 'Set API Key', 'Download Model'] }),
    inline: { tier: 'none', notice: ['Inline completion runs only on the local model'] },
  },
  {
    name: 'no local model and frontier off',
    input: { local: { available: false, reason: NO_LOCAL }, config: config({ frontierEnabled: false }) },
    expect: () => ({ tier: 'none', notice: ['No model can answer this', FRONTIER_OFF_REASON, 'Download Model'] }),
    inline: { tier: 'none', notice: ['Inline completion runs only on the local model'] },
  },
];

describe('decideRoute', () => {
  for (const scenario of scenarios) {
    describe(scenario.name, () => {
      for (const task of TASK_KINDS) {
        const expected = task === 'inline-completion' ? (scenario.inline ?? INLINE_LOCAL) : scenario.expect(task, DEFAULT_TIER[task]);
        it(`${task} -> ${expected.tier}`, () => {
          const decision = decideRoute({
            task,
            ...fitsLocally,
            config: config(),
            trusted: true,
            frontier: FRONTIER,
            local: LOCAL,
            ...scenario.input,
          });
          assert.equal(decision.tier, expected.tier);
          if (expected.reason !== undefined) assert.equal(decision.reason, expected.reason);
          assert.ok(decision.reason.length > 0);
          if (expected.notice === null) {
            assert.equal(decision.notice, undefined);
          } else {
            assert.ok(decision.notice, 'expected a notice');
            for (const fragment of expected.notice) assert.ok(decision.notice.includes(fragment), `"${decision.notice}" lacks "${fragment}"`);
            // One sentence: ends with a single full stop and has no sentence break inside.
            assert.match(decision.notice, /[^.]\.$/);
            assert.doesNotMatch(decision.notice.slice(0, -1), /\.\s+[A-Z]/);
          }
        });
      }
    });
  }

  it('inline completion ignores every setting that asks for the frontier', () => {
    const decision = decideRoute({
      task: 'inline-completion',
      ...hugePrompt,
      requested: 'frontier',
      config: config({ tier: 'frontier', tasks: { 'inline-completion': 'frontier' } }),
      trusted: true,
      frontier: FRONTIER,
      local: LOCAL,
    });
    assert.deepEqual(decision, { tier: 'local', reason: 'inline completion always runs locally' });
  });

  it('a reason ending in a full stop is not doubled in the notice', () => {
    const decision = decideRoute({
      task: 'refactor',
      ...fitsLocally,
      config: config(),
      trusted: true,
      frontier: { available: false, reason: 'No API key for Anthropic. ' },
      local: LOCAL,
    });
    assert.equal(decision.notice, 'Answering with the local model (qwen-7b) because no API key for Anthropic.');
  });

  it('a reason written as a sentence reads on after "because"; a name keeps its capitals', () => {
    const notice = (reason: string) =>
      decideRoute({ task: 'refactor', ...fitsLocally, config: config(), trusted: true, frontier: { available: false, reason }, local: LOCAL }).notice;
    assert.equal(notice('No Anthropic API key is set.'), 'Answering with the local model (qwen-7b) because no Anthropic API key is set.');
    assert.equal(
      notice('VS Code offers no language model.'),
      'Answering with the local model (qwen-7b) because VS Code offers no language model.',
    );
  });
});
