/**
 * GGUF models the visitor adds for the CPU path: a URL, or a file picked from this device. A picked file is read
 * for its GGUF header first (name, licence, context length from the metadata), so a file that is not a GGUF is
 * refused at once with a message that says so; a URL is checked for its shape (the header is read when it loads).
 */
import { GgufFormatError, readGgufHeader, type GgufValue } from '@attention-moa/core';

export interface OwnModel {
  /** `own:<n>`, unique in the page. */
  id: string;
  name: string;
  /** A URL of a GGUF file, or the picked file itself. */
  source: string | File;
  /** File size in bytes, when known (a picked file). */
  bytes?: number;
  /** `general.license` from the GGUF metadata, when present. */
  license?: string;
  /** `<arch>.context_length`, capped when the session is made. */
  contextLength?: number;
}

let counter = 0;
const text = (v: GgufValue | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Reads a picked file's GGUF header. Throws an Error naming the file and what is wrong with it. */
export async function ownModelFromFile(file: File): Promise<OwnModel> {
  let header;
  try {
    header = await readGgufHeader(file);
  } catch (error) {
    const why = error instanceof GgufFormatError ? error.message : String((error as Error)?.message ?? error);
    throw new Error(`${file.name} is not a usable GGUF model: ${why}. Pick a .gguf file (llama.cpp's format), e.g. from Hugging Face.`);
  }
  const arch = text(header.metadata.get('general.architecture'));
  const context = arch ? header.metadata.get(`${arch}.context_length`) : undefined;
  const license = text(header.metadata.get('general.license'));
  return {
    id: `own:${++counter}`,
    name: text(header.metadata.get('general.name')) ?? file.name.replace(/\.gguf$/i, ''),
    source: file,
    bytes: file.size,
    ...(license ? { license } : {}),
    ...(typeof context === 'number' && context > 0 ? { contextLength: context } : {}),
  };
}

/** Checks a URL typed by the visitor. Throws an Error that says what a usable URL looks like. */
export function ownModelFromUrl(input: string): OwnModel {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`“${raw}” is not a URL. Paste the address of a .gguf file, e.g. https://huggingface.co/<user>/<repo>/resolve/main/model.gguf`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Only http(s) URLs can be downloaded, got ${url.protocol}`);
  const file = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  if (!/\.gguf$/i.test(file)) {
    throw new Error(`${file || url.href} does not end in .gguf. Use the file's direct download link (on Hugging Face: “resolve/main/…gguf”, not the “blob” page).`);
  }
  return { id: `own:${++counter}`, name: file.replace(/\.gguf$/i, ''), source: url.href };
}
