import { describe, expect, it } from 'vitest';
import {
  GgufFormatError,
  GgufValueType,
  ggmlTensorBytes,
  ggufNumber,
  ggufString,
  parseGgufHeader,
  readGgufHeader,
} from '../../../../../packages/core/src/engine/wllama/gguf-header.js';
import { toFloat16Bits, writeGguf } from '../../../../fixtures/gguf/gguf-writer.js';
import { buildTinyGguf, CHATML_TEMPLATE, tinyVocabulary } from '../../../../fixtures/gguf/write-tiny-gguf.js';
import { BROKEN_FILES, buildFixtureFiles, TINY_AGENTS } from '../../../../fixtures/gguf/tiny-models.js';

const blobOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

describe('GGUF writer ↔ reader', () => {
  it('round-trips every metadata value type and F32 tensors, aligned', () => {
    const a = new Float32Array([1, -2, 3.5]);
    const b = new Float32Array(40).map((_, i) => i / 7);
    const bytes = writeGguf(
      [
        { key: 'u8', type: GgufValueType.UINT8, value: 200 },
        { key: 'i8', type: GgufValueType.INT8, value: -100 },
        { key: 'u16', type: GgufValueType.UINT16, value: 60000 },
        { key: 'i16', type: GgufValueType.INT16, value: -30000 },
        { key: 'u32', type: GgufValueType.UINT32, value: 4_000_000_000 },
        { key: 'i32', type: GgufValueType.INT32, value: -2_000_000_000 },
        { key: 'f32', type: GgufValueType.FLOAT32, value: 0.5 },
        { key: 'f64', type: GgufValueType.FLOAT64, value: Math.PI },
        { key: 'bool', type: GgufValueType.BOOL, value: true },
        { key: 'str', type: GgufValueType.STRING, value: 'héllo ▁wörld ✓' },
        { key: 'u64', type: GgufValueType.UINT64, value: 2n ** 60n },
        { key: 'i64', type: GgufValueType.INT64, value: -(2n ** 60n) },
        { key: 'arr.str', type: GgufValueType.ARRAY, elementType: GgufValueType.STRING, value: ['a', '', '<|im_end|>'] },
        { key: 'arr.i32', type: GgufValueType.ARRAY, elementType: GgufValueType.INT32, value: [1, -2, 3] },
      ],
      [
        { name: 'a', dims: [3], data: a },
        { name: 'b', dims: [8, 5], data: b },
      ],
    );
    const header = parseGgufHeader(bytes);
    expect(header.version).toBe(3);
    expect(Object.fromEntries(header.metadata)).toEqual({
      u8: 200, i8: -100, u16: 60000, i16: -30000, u32: 4_000_000_000, i32: -2_000_000_000, f32: 0.5, f64: Math.PI, bool: true,
      str: 'héllo ▁wörld ✓', u64: 2n ** 60n, i64: -(2n ** 60n), 'arr.str': ['a', '', '<|im_end|>'], 'arr.i32': [1, -2, 3],
    });
    expect(header.metadataTypes.get('arr.str')).toEqual({ type: GgufValueType.ARRAY, elementType: GgufValueType.STRING });
    expect(header.alignment).toBe(32);
    expect(header.dataOffset % 32).toBe(0);
    expect(header.tensors).toEqual([
      { name: 'a', dims: [3], type: 0, offset: 0, bytes: 12 },
      { name: 'b', dims: [8, 5], type: 0, offset: 32, bytes: 160 }, // 12 bytes padded to 32
    ]);
    // The data section holds each tensor at dataOffset + offset, and the file ends padded after the last one.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getFloat32(header.dataOffset + 4, true)).toBe(-2);
    expect(view.getFloat32(header.dataOffset + 32 + 39 * 4, true)).toBeCloseTo(39 / 7, 6);
    expect(bytes.length).toBe(header.dataOffset + 32 + 160);
    expect(header.dataEnd).toBe(bytes.length);
  });

  it('writes F16 tensors at half the size, with correctly rounded half floats', () => {
    expect([1, -2, 0.5, 65504, 0, 1e-9, 0.1, 1 / 3, 6.1e-5, 7e-6, 1e6].map(toFloat16Bits)).toEqual([
      0x3c00, 0xc000, 0x3800, 0x7bff, 0, 0, 0x2e66, 0x3555, 0x03ff, 0x0075, 0x7c00,
    ]);
    const bytes = writeGguf([], [{ name: 'h', dims: [4, 2], data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), type: 'f16' }]);
    const header = parseGgufHeader(bytes);
    expect(header.tensors).toEqual([{ name: 'h', dims: [4, 2], type: 1, offset: 0, bytes: 16 }]);
    const halves = new Uint16Array(bytes.slice(header.dataOffset, header.dataOffset + 16).buffer);
    expect([...halves]).toEqual([0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700, 0x4800]);
  });

  it('rejects a non-default alignment that is not declared in the metadata', () => {
    expect(() => writeGguf([], [], 64)).toThrow(/general\.alignment/);
  });

  it('knows the byte sizes of quantized types', () => {
    expect(ggmlTensorBytes(8, [4096, 4096])).toBe((4096 * 4096 * 34) / 32); // Q8_0
    expect(ggmlTensorBytes(12, [4096, 11008])).toBe((4096 * 11008 * 144) / 256); // Q4_K
    expect(ggmlTensorBytes(9999, [4])).toBeUndefined();
  });
});

describe('tiny llama GGUF', () => {
  const { bytes, shape, vocabulary } = buildTinyGguf({ seed: 7 });
  const header = parseGgufHeader(bytes);

  it('has the llama metadata llama.cpp needs, and a ChatML template', () => {
    expect(ggufString(header, 'general.architecture')).toBe('llama');
    expect(ggufString(header, 'general.name')).toBe('tiny-llama-s7');
    expect(ggufNumber(header, 'llama.embedding_length')).toBe(64);
    expect(ggufNumber(header, 'llama.block_count')).toBe(2);
    expect(ggufNumber(header, 'llama.attention.head_count')).toBe(4);
    expect(ggufNumber(header, 'llama.attention.head_count_kv')).toBe(2);
    expect(ggufNumber(header, 'llama.rope.dimension_count')).toBe(16);
    expect(ggufNumber(header, 'llama.context_length')).toBe(2048);
    expect(ggufString(header, 'tokenizer.chat_template')).toBe(CHATML_TEMPLATE);
    expect(ggufNumber(header, 'llama.vocab_size')).toBe(shape.vocabulary);
  });

  it('has a byte-level vocabulary with ChatML control tokens and reachable word pieces', () => {
    const tokens = header.metadata.get('tokenizer.ggml.tokens') as string[];
    const types = header.metadata.get('tokenizer.ggml.token_type') as number[];
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(tokens[3]).toBe('<0x00>');
    expect(tokens[258]).toBe('<0xFF>');
    expect(types.slice(3, 259).every((t) => t === 6)).toBe(true);
    expect(types[tokens.indexOf('<|im_start|>')]).toBe(3);
    expect(types[tokens.indexOf('<|im_end|>')]).toBe(3);
    // SPM only merges through existing tokens: every prefix of "▁the" must exist.
    for (const piece of ['▁', '▁t', '▁th', '▁the', '▁critique']) expect(tokens).toContain(piece);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.length).toBe(vocabulary.tokens.length);
  });

  it('has every llama tensor with ggml shapes, and zero output rows for byte and control tokens', () => {
    const byName = new Map(header.tensors.map((t) => [t.name, t]));
    const V = shape.vocabulary;
    expect(byName.get('token_embd.weight')?.dims).toEqual([64, V]);
    expect(byName.get('output.weight')?.dims).toEqual([64, V]);
    expect(byName.get('blk.1.attn_k.weight')?.dims).toEqual([64, 32]);
    expect(byName.get('blk.0.ffn_down.weight')?.dims).toEqual([128, 64]);
    expect(header.tensors).toHaveLength(3 + 2 * 9);
    for (const t of header.tensors) expect(t.offset % 32).toBe(0);
    expect(header.dataEnd).toBe(bytes.length);
    expect(byName.get('output.weight')?.type).toBe(1); // F16
    expect(byName.get('token_embd.weight')?.type).toBe(1);
    expect(byName.get('blk.0.attn_q.weight')?.type).toBe(0); // F32
    expect(byName.get('output_norm.weight')?.type).toBe(0);

    const output = byName.get('output.weight')!;
    const rows = new Uint16Array(bytes.slice(header.dataOffset + output.offset, header.dataOffset + output.offset + output.bytes!).buffer);
    const rowIsZero = (id: number) => rows.subarray(id * 64, (id + 1) * 64).every((v) => v === 0);
    const tokens = header.metadata.get('tokenizer.ggml.tokens') as string[];
    for (const id of [0, 1, 2, 3, 100, 258, tokens.indexOf('<|im_start|>'), tokens.indexOf('<|im_end|>')]) expect(rowIsZero(id)).toBe(true);
    expect(rowIsZero(tokens.indexOf('▁the'))).toBe(false);
    expect(vocabulary.silent.size).toBe(3 + 256 + 2);
  });

  it('is deterministic per seed, and different seeds give different weights of the same size', () => {
    expect(Buffer.compare(Buffer.from(buildTinyGguf({ seed: 7 }).bytes), Buffer.from(bytes))).toBe(0);
    const other = buildTinyGguf({ seed: 8, name: 'tiny-llama-s7' }).bytes;
    expect(other.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(other), Buffer.from(bytes))).not.toBe(0);
  });

  it('stays ≤ 1 MB', () => {
    expect(bytes.length).toBeLessThanOrEqual(1_000_000);
  });

  it('rejects impossible shapes', () => {
    expect(() => buildTinyGguf({ seed: 1, embedding: 60, heads: 8 })).toThrow(/multiple of heads/);
    expect(() => buildTinyGguf({ seed: 1.5 })).toThrow(/seed must be an integer/);
  });

  it('has a vocabulary without duplicates for any word list', () => {
    const v = tinyVocabulary(['the', 'them', 'the']);
    expect(v.tokens.filter((t) => t === '▁the')).toHaveLength(1);
    expect(v.tokens).toContain('▁them');
  });
});

describe('readGgufHeader (what the engine checks before llama.cpp sees a file)', () => {
  const files = buildFixtureFiles();

  it('accepts every tiny agent model', async () => {
    for (const agent of TINY_AGENTS) {
      const header = await readGgufHeader(blobOf(files.get(agent.file)!));
      expect(ggufString(header, 'general.name')).toBe(agent.name);
    }
  });

  it('reads headers longer than its first slice', async () => {
    const words = Array.from({ length: 40000 }, (_, i) => `a-rather-long-word-${i}`);
    const { bytes } = buildTinyGguf({ seed: 3, words, embedding: 8, heads: 2, kvHeads: 1, feedForward: 8, layers: 1 });
    const header = await readGgufHeader(blobOf(bytes));
    expect((header.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBeGreaterThan(40000);
    expect(header.dataOffset).toBeGreaterThan(1024 * 1024);
  });

  it('says a truncated file is truncated', async () => {
    await expect(readGgufHeader(blobOf(files.get(BROKEN_FILES.truncated)!))).rejects.toThrow(/truncated/);
  });

  it('says an HTML page is not a GGUF file and hints at the URL', async () => {
    const error = await readGgufHeader(blobOf(files.get(BROKEN_FILES.html)!)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufFormatError);
    expect((error as Error).message).toMatch(/not a GGUF file: it starts with bytes 3c 21 64 6f .*HTML page: check the model URL/);
  });

  it('accepts a well-formed file with a missing tensor (llama.cpp is the one to reject it)', async () => {
    const header = await readGgufHeader(blobOf(files.get(BROKEN_FILES.missingTensor)!));
    expect(header.tensors.map((t) => t.name)).not.toContain('output_norm.weight');
  });

  it('rejects unknown versions, empty files and cut headers', async () => {
    const valid = files.get(TINY_AGENTS[0]!.file)!;
    const v4 = valid.slice();
    new DataView(v4.buffer).setUint32(4, 4, true);
    await expect(readGgufHeader(blobOf(v4))).rejects.toThrow(/version 4 is not supported/);
    await expect(readGgufHeader(new Blob([]))).rejects.toThrow(/only 0 bytes/);
    await expect(readGgufHeader(blobOf(valid.slice(0, 2000)))).rejects.toThrow(/ends inside its header.*truncated/);
  });

  it('rejects absurd counts instead of allocating for them', async () => {
    const valid = files.get(TINY_AGENTS[0]!.file)!.slice();
    new DataView(valid.buffer).setBigUint64(16, 1n << 40n, true); // kv count
    await expect(readGgufHeader(blobOf(valid))).rejects.toThrow(/corrupt/);
  });
});
