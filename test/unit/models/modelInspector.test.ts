// inspectModelFile on the generated models and on every kind of file a user can point Bantam at
// by mistake: each refusal must carry the right code and a message that says what to do next.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FimFamily } from '../../../src/core/kernel/completionTypes';
import { ModelFileError, type ModelFileErrorCode } from '../../../src/core/models/modelFileError';
import { inspectModelFile } from '../../../src/core/models/modelInspector';
import { gv, writeGguf } from '../../support/gguf/ggufWriter';
import { firstValueOffset, makeTempDir, modelLikeSpec, patchFile, u32Bytes, u64Bytes, writeModelLike } from '../../support/gguf/smallGguf';
import { ensureNoFimModel, ensureSpeedProxyModel, ensureTinyModel } from '../../support/gguf/testModels';

async function expectRefusal(path: string, code: ModelFileErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(inspectModelFile(path), (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.path, path);
    assert.match(error.message, message);
    // One sentence for what happened, one for what to do: "<what>; <next step>."
    assert.match(error.message, /^[^;]+; [^;]+\.$/);
    return true;
  });
}

describe('inspectModelFile', () => {
  let dir: string;
  let tiny: string;
  before(async () => {
    dir = await makeTempDir();
    tiny = await ensureTinyModel();
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('describes the tiny test model', async () => {
    const info = await inspectModelFile(tiny);
    assert.equal(info.family, 'qwen');
    assert.equal(info.architecture, 'qwen2');
    assert.equal(info.name, 'Bantam Tiny Qwen2 (test model)');
    assert.equal(info.contextLength, 8192);
    assert.equal(info.vocabSize, 256 + 18 + 7);
    assert.equal(info.fileBytes, (await fs.stat(tiny)).size);
    const base = 256 + 18;
    assert.deepEqual(info.fim, {
      prefix: { text: '<|fim_prefix|>', id: base + 1 },
      middle: { text: '<|fim_middle|>', id: base + 2 },
      suffix: { text: '<|fim_suffix|>', id: base + 3 },
      pad: { text: '<|fim_pad|>', id: base + 4 },
      repoName: { text: '<|repo_name|>', id: base + 5 },
      fileSep: { text: '<|file_sep|>', id: base + 6 },
    });
    assert.equal(info.repoLevel, true);
  });

  it("describes the 531 MB speed proxy with Qwen2.5-Coder's token ids", async function () {
    this.timeout(60_000); // the first run writes the proxy (about a second, plus disk)
    const proxy = await ensureSpeedProxyModel();
    const info = await inspectModelFile(proxy);
    assert.equal(info.family, 'qwen');
    assert.equal(info.vocabSize, 151_936);
    assert.equal(info.contextLength, 32_768);
    assert.ok(info.fileBytes > 500e6);
    assert.deepEqual(
      [info.fim.prefix.id, info.fim.middle?.id, info.fim.suffix.id, info.fim.pad?.id, info.fim.repoName?.id, info.fim.fileSep?.id],
      [151_659, 151_660, 151_661, 151_662, 151_663, 151_664],
    );
  });

  describe('refuses what it cannot use', () => {
    const cases: {
      name: string;
      make: (dir: string) => Promise<string>;
      code: ModelFileErrorCode;
      message: RegExp | (() => Promise<RegExp>);
    }[] = [
      {
        name: 'a missing file',
        make: async (d) => join(d, 'nope.gguf'),
        code: 'not-found',
        message: /nope\.gguf does not exist; .*'Bantam: Download Recommended Model'\.$/,
      },
      {
        name: 'a path through a file',
        make: async (d) => {
          await fs.writeFile(join(d, 'plain'), 'x');
          return join(d, 'plain', 'model.gguf');
        },
        code: 'not-found',
        message: /does not exist/,
      },
      {
        name: 'a directory',
        make: async (d) => {
          await fs.mkdir(join(d, 'models.gguf'));
          return join(d, 'models.gguf');
        },
        code: 'not-gguf',
        message: /is a folder, not a model file; point bantam\.completion\.model at a \.gguf file\./,
      },
      {
        name: 'an empty file',
        make: async (d) => {
          await fs.writeFile(join(d, 'empty.gguf'), '');
          return join(d, 'empty.gguf');
        },
        code: 'truncated',
        message: /is empty \(0 bytes\); download it again/,
      },
      {
        name: 'a text file',
        make: async (d) => {
          await fs.writeFile(join(d, 'notes.txt'), 'These are not the weights you are looking for.\n');
          return join(d, 'notes.txt');
        },
        code: 'not-gguf',
        message:
          /notes\.txt is not a GGUF model \(it does not start with 'GGUF'\); point bantam\.completion\.model at a \.gguf file or run 'Bantam: Download Recommended Model'\.$/,
      },
      {
        name: 'the first two bytes of a GGUF',
        make: async (d) => {
          await fs.writeFile(join(d, 'gg.gguf'), 'GG');
          return join(d, 'gg.gguf');
        },
        code: 'truncated',
        message: /truncated \(it ends after 2 bytes, inside its header\); download it again\.$/,
      },
      {
        name: 'the tiny model cut in half',
        make: async (d) => {
          const full = await fs.readFile(tiny);
          await fs.writeFile(join(d, 'half.gguf'), full.subarray(0, full.length >> 1));
          return join(d, 'half.gguf');
        },
        code: 'truncated',
        message: async () => {
          const size = (await fs.stat(tiny)).size;
          return new RegExp(`half\\.gguf is truncated \\(${size >> 1} of ${size} bytes\\); download it again\\.$`);
        },
      },
      {
        name: 'the tiny model cut inside its header',
        make: async (d) => {
          const full = await fs.readFile(tiny);
          await fs.writeFile(join(d, 'head.gguf'), full.subarray(0, 1000));
          return join(d, 'head.gguf');
        },
        code: 'truncated',
        message: /truncated \(it ends after 1000 bytes, inside its header\)/,
      },
      {
        name: 'the tiny model missing its last byte',
        make: async (d) => {
          const full = await fs.readFile(tiny);
          // The last tensor ends exactly at the end of the file (its size is a multiple of 32).
          await fs.writeFile(join(d, 'short.gguf'), full.subarray(0, full.length - 1));
          return join(d, 'short.gguf');
        },
        code: 'truncated',
        message: async () => {
          const size = (await fs.stat(tiny)).size;
          return new RegExp(`\\(${size - 1} of ${size} bytes\\)`);
        },
      },
      {
        name: 'a model without FIM tokens',
        make: () => ensureNoFimModel(),
        code: 'no-fim',
        message:
          /bantam-tiny-nofim\.gguf has no fill-in-the-middle tokens, so it cannot complete code inline; use a base code model such as Qwen2\.5-Coder\.$/,
      },
      {
        name: 'a corrupt array length',
        make: async (d) => {
          const path = join(d, 'corrupt.gguf');
          const spec = modelLikeSpec({ tokens: ['a', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'] });
          const tokens = spec.metadata.find(([k]) => k === 'tokenizer.ggml.tokens')!;
          await writeGguf(path, { ...spec, metadata: [tokens, ...spec.metadata.filter((e) => e !== tokens)] });
          await patchFile(path, firstValueOffset('tokenizer.ggml.tokens') + 4, u64Bytes(2n ** 60n));
          return path;
        },
        code: 'corrupt',
        message: /corrupt\.gguf is corrupt \(.*array length is over 2\^53\); download it again\.$/,
      },
      {
        name: 'a tensor type newer than Bantam',
        make: async (d) => {
          const path = await writeModelLike(join(d, 'newtype.gguf'), { tokens: ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>'] });
          const at = (await fs.readFile(path)).indexOf(Buffer.from('token_embd.weight')) + 'token_embd.weight'.length + 4 + 8;
          await patchFile(path, at, u32Bytes(77));
          return path;
        },
        code: 'unsupported-version',
        message: /ggml type 77, which this version of Bantam does not know; update Bantam/,
      },
      {
        name: 'a GGUF without a vocabulary',
        make: async (d) => {
          const path = join(d, 'novocab.gguf');
          const spec = modelLikeSpec({ tokens: [] });
          await writeGguf(path, { ...spec, metadata: spec.metadata.filter(([k]) => k !== 'tokenizer.ggml.tokens') });
          return path;
        },
        code: 'corrupt',
        message: /no tokenizer\.ggml\.tokens vocabulary/,
      },
      {
        name: '/dev/zero',
        make: async () => '/dev/zero',
        code: 'not-gguf',
        message: /\/dev\/zero is not a regular file; /,
      },
      {
        name: 'a named pipe (opening it would block)',
        make: async (d) => {
          const path = join(d, 'pipe.gguf');
          const r = spawnSync('mkfifo', [path]);
          assert.equal(r.status, 0, 'mkfifo failed');
          return path;
        },
        code: 'not-gguf',
        message: /not a regular file/,
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.name} (${c.code})`, async () => {
        const sub = await fs.mkdtemp(join(dir, 'case-'));
        const message = typeof c.message === 'function' ? await c.message() : c.message;
        await expectRefusal(await c.make(sub), c.code, message);
      });
    }
  });

  describe('detects the family from the vocabulary in a GGUF file', () => {
    const filler = ['<unk>', '<s>', '</s>', 'a', 'b', 'Ġthe'];
    const cases: { family: FimFamily; architecture: string; name: string; tokens: string[]; prefix: string; repoLevel: boolean }[] = [
      {
        family: 'qwen',
        architecture: 'qwen2',
        name: 'Qwen2.5 Coder 1.5B',
        tokens: ['<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>'],
        prefix: '<|fim_prefix|>',
        repoLevel: true,
      },
      {
        family: 'starcoder2',
        architecture: 'starcoder2',
        name: 'StarCoder2 3B',
        tokens: ['<fim_prefix>', '<fim_middle>', '<fim_suffix>', '<fim_pad>', '<repo_name>', '<file_sep>'],
        prefix: '<fim_prefix>',
        repoLevel: true,
      },
      {
        family: 'deepseek',
        architecture: 'llama',
        name: 'DeepSeek Coder 1.3B Base',
        tokens: ['<\uff5cfim\u2581hole\uff5c>', '<\uff5cfim\u2581begin\uff5c>', '<\uff5cfim\u2581end\uff5c>'],
        prefix: '<\uff5cfim\u2581begin\uff5c>',
        repoLevel: false,
      },
      {
        family: 'codellama',
        architecture: 'llama',
        name: 'CodeLlama 7B',
        tokens: ['\u2581<PRE>', '\u2581<SUF>', '\u2581<MID>', '\u2581<EOT>'],
        prefix: '\u2581<PRE>',
        repoLevel: false,
      },
      {
        family: 'codestral',
        architecture: 'llama',
        name: 'Codestral 22B v0.1',
        tokens: ['[INST]', '[/INST]', '[PREFIX]', '[MIDDLE]', '[SUFFIX]'],
        prefix: '[PREFIX]',
        repoLevel: false,
      },
    ];
    for (const c of cases) {
      it(`${c.family}: ${c.name}`, async () => {
        const path = await writeModelLike(join(dir, `${c.family}.gguf`), {
          architecture: c.architecture,
          name: c.name,
          tokens: [...filler, ...c.tokens],
          extra: [['tokenizer.ggml.eos_token_id', gv.u32(2)]],
        });
        const info = await inspectModelFile(path);
        assert.equal(info.family, c.family);
        assert.deepEqual(info.fim.prefix, { text: c.prefix, id: filler.length + c.tokens.indexOf(c.prefix) });
        assert.equal(info.repoLevel, c.repoLevel);
        assert.equal(info.architecture, c.architecture);
        assert.equal(info.contextLength, 4096);
      });
    }
  });
});
