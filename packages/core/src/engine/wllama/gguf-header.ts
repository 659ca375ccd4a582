/**
 * A GGUF header reader (versions 2 and 3, little-endian): metadata key/values and tensor infos, no weights.
 *
 * The WASM engine reads the header before handing a file to llama.cpp so that a wrong file (an HTML error
 * page, a truncated download, a safetensors file) fails with a message that says what is wrong, instead of
 * llama.cpp's generic load failure. It reads only the header bytes, from a Blob, growing the slice as needed.
 */
import { MoAError } from '../moa-error.js';

export const GGUF_MAGIC = 'GGUF';

/** GGUF metadata value types (gguf.h `enum gguf_type`). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** ggml `ne` order: dims[0] is the contiguous (input) dimension. */
  dims: number[];
  /** ggml type id (0 = F32, 1 = F16, 8 = Q8_0, 12 = Q4_K, …). */
  type: number;
  /** Offset relative to the start of the data section. */
  offset: number;
  /** Bytes of data, when the type is known (undefined for types this reader does not know). */
  bytes?: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  /** Type of each metadata value, and of array elements for arrays. */
  metadataTypes: Map<string, { type: GgufValueType; elementType?: GgufValueType }>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Byte offset of the data section (the header, padded to `alignment`). */
  dataOffset: number;
  /** End of the last tensor's data, when every tensor's type is known: the minimum valid file size. */
  dataEnd?: number;
}

/** Why a file is not a usable GGUF: thrown by the reader, mapped to the engine's `bad-gguf` error. */
export class GgufFormatError extends MoAError {
  override name = 'GgufFormatError';
  declare readonly code: 'GGUF_FORMAT';
  constructor(message: string, options?: { cause?: unknown }) {
    super('GGUF_FORMAT', message, options);
  }
}

/** Block size and bytes per block of ggml types (ggml.c `type_traits`). */
const GGML_TYPE_SIZES: Record<number, [block: number, bytes: number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

/** Bytes of a tensor of this type and shape, or undefined for a type this reader does not know. */
export function ggmlTensorBytes(type: number, dims: readonly number[]): number | undefined {
  const size = GGML_TYPE_SIZES[type];
  if (!size) return undefined;
  const [block, bytes] = size;
  const elements = dims.reduce((a, b) => a * b, 1);
  return (elements / block) * bytes;
}

/** Thrown internally when the slice ends before the header does; the Blob reader then reads more. */
class NeedMoreBytes extends Error {}

class Cursor {
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  pos = 0;
  constructor(
    private readonly bytes: Uint8Array,
    /** The whole file's size, to tell "need more bytes" from "the file ends here". */
    private readonly fileSize: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n <= this.bytes.byteLength) return;
    if (this.pos + n > this.fileSize) {
      throw new GgufFormatError(`the file ends inside its header (at byte ${this.fileSize}; needed ${this.pos + n}): it is truncated`);
    }
    throw new NeedMoreBytes();
  }
  u8() { this.need(1); return this.view.getUint8(this.pos++); }
  i8() { this.need(1); return this.view.getInt8(this.pos++); }
  u16() { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  i16() { this.need(2); const v = this.view.getInt16(this.pos, true); this.pos += 2; return v; }
  u32() { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i32() { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  f32() { this.need(4); const v = this.view.getFloat32(this.pos, true); this.pos += 4; return v; }
  f64() { this.need(8); const v = this.view.getFloat64(this.pos, true); this.pos += 8; return v; }
  i64() { this.need(8); const v = this.view.getBigInt64(this.pos, true); this.pos += 8; return v; }
  u64big() { this.need(8); const v = this.view.getBigUint64(this.pos, true); this.pos += 8; return v; }
  /** A u64 that must fit a JS number (counts, lengths, offsets). */
  u64(what: string): number {
    const v = this.u64big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`${what} is ${v}, which no real file has: the header is corrupt`);
    return Number(v);
  }
  string(what: string): string {
    const length = this.u64(`the length of ${what}`);
    if (length > this.fileSize) throw new GgufFormatError(`${what} claims ${length} bytes, more than the file has: the header is corrupt`);
    this.need(length);
    const bytes = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new GgufFormatError(`${what} is not valid UTF-8: the header is corrupt`);
    }
  }
}

function readValue(c: Cursor, type: number, key: string): GgufValue {
  switch (type) {
    case GgufValueType.UINT8: return c.u8();
    case GgufValueType.INT8: return c.i8();
    case GgufValueType.UINT16: return c.u16();
    case GgufValueType.INT16: return c.i16();
    case GgufValueType.UINT32: return c.u32();
    case GgufValueType.INT32: return c.i32();
    case GgufValueType.FLOAT32: return c.f32();
    case GgufValueType.BOOL: return c.u8() !== 0;
    case GgufValueType.STRING: return c.string(`metadata "${key}"`);
    case GgufValueType.UINT64: return c.u64big();
    case GgufValueType.INT64: return c.i64();
    case GgufValueType.FLOAT64: return c.f64();
    default: throw new GgufFormatError(`metadata "${key}" has unknown value type ${type}: the header is corrupt`);
  }
}

function parse(bytes: Uint8Array, fileSize: number): GgufHeader {
  const c = new Cursor(bytes, fileSize);
  if (fileSize < 4) throw new GgufFormatError(`the file has only ${fileSize} bytes; a GGUF file starts with the 4 bytes "GGUF"`);
  const magicBytes = [c.u8(), c.u8(), c.u8(), c.u8()];
  const magic = String.fromCharCode(...magicBytes);
  if (magic !== GGUF_MAGIC) {
    const hex = magicBytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const looksHtml = /^\s*</.test(magic);
    throw new GgufFormatError(
      `not a GGUF file: it starts with bytes ${hex} instead of "GGUF"` +
        (looksHtml ? ' (it looks like an HTML page: check the model URL)' : ''),
    );
  }
  const version = c.u32();
  if (version !== 2 && version !== 3) {
    throw new GgufFormatError(`GGUF version ${version} is not supported (llama.cpp reads versions 2 and 3)`);
  }
  const tensorCount = c.u64('the tensor count');
  const kvCount = c.u64('the metadata count');
  // Every entry takes at least 8 bytes: counts beyond the file size mean a corrupt header, not a huge model.
  if (tensorCount * 8 > fileSize || kvCount * 8 > fileSize) {
    throw new GgufFormatError(`the header claims ${tensorCount} tensors and ${kvCount} metadata entries, more than fit the file: it is corrupt`);
  }
  const metadata = new Map<string, GgufValue>();
  const metadataTypes = new Map<string, { type: GgufValueType; elementType?: GgufValueType }>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.string(`metadata key #${i}`);
    const type = c.u32();
    if (type === GgufValueType.ARRAY) {
      const elementType = c.u32();
      const n = c.u64(`the length of array "${key}"`);
      if (n > fileSize) throw new GgufFormatError(`array "${key}" claims ${n} elements, more than the file has bytes: it is corrupt`);
      const values: GgufValue[] = new Array(n);
      for (let j = 0; j < n; j++) values[j] = readValue(c, elementType, key);
      metadata.set(key, values);
      metadataTypes.set(key, { type: GgufValueType.ARRAY, elementType: elementType as GgufValueType });
    } else {
      metadata.set(key, readValue(c, type, key));
      metadataTypes.set(key, { type: type as GgufValueType });
    }
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = c.string(`tensor name #${i}`);
    const nDims = c.u32();
    if (nDims < 1 || nDims > 4) throw new GgufFormatError(`tensor "${name}" has ${nDims} dimensions (ggml allows 1 to 4): the header is corrupt`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(c.u64(`dimension ${d} of tensor "${name}"`));
    const type = c.u32();
    const offset = c.u64(`the offset of tensor "${name}"`);
    const bytesOfTensor = ggmlTensorBytes(type, dims);
    tensors.push({ name, dims, type, offset, ...(bytesOfTensor === undefined ? {} : { bytes: bytesOfTensor }) });
  }
  const alignmentValue = metadata.get('general.alignment');
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : 32;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new GgufFormatError(`general.alignment is ${String(alignmentValue)}; it must be a power of two`);
  }
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  let dataEnd: number | undefined = dataOffset;
  for (const t of tensors) {
    if (t.offset % alignment !== 0) {
      throw new GgufFormatError(`tensor "${t.name}" starts at data offset ${t.offset}, not a multiple of the alignment ${alignment}: the header is corrupt`);
    }
    if (t.bytes === undefined) dataEnd = undefined;
    else if (dataEnd !== undefined) dataEnd = Math.max(dataEnd, dataOffset + t.offset + t.bytes);
  }
  return { version, metadata, metadataTypes, tensors, alignment, dataOffset, ...(dataEnd === undefined ? {} : { dataEnd }) };
}

/** Parses a GGUF header from bytes holding at least the whole header (e.g. a whole file). */
export function parseGgufHeader(bytes: Uint8Array, fileSize = bytes.byteLength): GgufHeader {
  try {
    return parse(bytes, fileSize);
  } catch (error) {
    if (error instanceof NeedMoreBytes) {
      throw new GgufFormatError(`the header does not fit in the ${bytes.byteLength} bytes given`);
    }
    throw error;
  }
}

/**
 * Reads a GGUF header from a Blob (or File), reading 1 MiB first and more only if the header is longer
 * (large vocabularies make headers of several MiB). Checks that the file holds every tensor's data.
 */
export async function readGgufHeader(blob: Blob, options: { maxHeaderBytes?: number } = {}): Promise<GgufHeader> {
  const max = Math.min(options.maxHeaderBytes ?? 256 * 1024 * 1024, blob.size);
  let length = Math.min(1024 * 1024, blob.size);
  for (;;) {
    const bytes = new Uint8Array(await blob.slice(0, length).arrayBuffer());
    try {
      const header = parse(bytes, blob.size);
      if (header.dataEnd !== undefined && header.dataEnd > blob.size) {
        throw new GgufFormatError(
          `the file has ${blob.size} bytes but its tensors need ${header.dataEnd}: it is truncated (an interrupted download?)`,
        );
      }
      return header;
    } catch (error) {
      if (!(error instanceof NeedMoreBytes)) throw error;
      if (length >= max) throw new GgufFormatError(`the header is longer than ${max} bytes: the file is corrupt`);
      length = Math.min(length * 4, max);
    }
  }
}

/** A metadata value as a number (u32/i32/u64/f32 all accepted), or undefined. */
export function ggufNumber(header: GgufHeader, key: string): number | undefined {
  const v = header.metadata.get(key);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A metadata value as a string, or undefined. */
export function ggufString(header: GgufHeader, key: string): string | undefined {
  const v = header.metadata.get(key);
  return typeof v === 'string' ? v : undefined;
}
