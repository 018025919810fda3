// A well-formed `loaded` message from the llama worker, for tests of the protocol and of the client.
export const LOADED_MESSAGE = {
  type: 'loaded',
  info: {
    architecture: 'qwen2',
    name: 'fake',
    family: 'qwen',
    fimTokens: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' },
    fileBytes: 1,
    contextSize: 4096,
    batchSize: 256,
    threads: 1,
    flashAttention: true,
  },
  trainContextSize: 4096,
  vocab: { size: 10, type: 'bpe', bos: null, eos: null, addBos: false },
  loadMs: 1,
  promptTokPerS: 250,
};
