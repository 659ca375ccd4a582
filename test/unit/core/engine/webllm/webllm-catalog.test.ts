import { describe, expect, it } from 'vitest';
import { prebuiltAppConfig, modelVersion } from '@mlc-ai/web-llm';
import { WEBLLM_MODEL_VERSION, WEBLLM_PREBUILT_MODELS } from '../../../../../packages/core/src/engine/webllm/webllm-catalog.js';
import { cleanModelUrl, modelFileUrls, needsShaderF16, parseModelId } from '../../../../../packages/core/src/engine/model-record.js';

describe('the page-side copy of WebLLM\'s prebuilt model list', () => {
  it('equals the installed @mlc-ai/web-llm prebuiltAppConfig record for record (run scripts/gen-webllm-catalog.mjs after upgrading)', () => {
    expect(WEBLLM_MODEL_VERSION).toBe(modelVersion);
    expect(WEBLLM_PREBUILT_MODELS).toEqual(prebuiltAppConfig.model_list);
  });

  it('parses every id into family / quantization / suffix', () => {
    for (const r of WEBLLM_PREBUILT_MODELS) {
      const parsed = parseModelId(r.model_id);
      expect(parsed, r.model_id).toBeDefined();
      expect(`${parsed!.family}-${parsed!.quant}-MLC${parsed!.suffix}`).toBe(r.model_id);
    }
  });

  it('treats every record that lists shader-f16 as needing it, and no f32 build as needing it', () => {
    for (const r of WEBLLM_PREBUILT_MODELS) {
      if (r.required_features?.includes('shader-f16')) expect(needsShaderF16(r)).toBe(true);
      if (/f32/.test(parseModelId(r.model_id)!.quant)) expect(needsShaderF16(r), r.model_id).toBe(false);
    }
  });

  it('derives the same URLs WebLLM fetches (cleanModelUrl adds resolve/main/ unless a revision is named)', () => {
    expect(cleanModelUrl('https://huggingface.co/mlc-ai/X-MLC')).toBe('https://huggingface.co/mlc-ai/X-MLC/resolve/main/');
    expect(cleanModelUrl('https://huggingface.co/mlc-ai/X-MLC/')).toBe('https://huggingface.co/mlc-ai/X-MLC/resolve/main/');
    expect(cleanModelUrl('http://127.0.0.1:1/m/resolve/v2/')).toBe('http://127.0.0.1:1/m/resolve/v2/');
    expect(modelFileUrls({ model: 'https://h/m', model_id: 'm', model_lib: 'https://h/l.wasm' })).toEqual({
      base: 'https://h/m/resolve/main/',
      config: 'https://h/m/resolve/main/mlc-chat-config.json',
      tensorCache: 'https://h/m/resolve/main/tensor-cache.json',
      lib: 'https://h/l.wasm',
    });
  });
});
