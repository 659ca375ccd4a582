// Test-only worker: asks WebLLM itself whether a model is in its IndexedDB cache, to check that the cache the
// tests seed (and the cache API reads and deletes) is the one WebLLM uses.
import { hasModelInCache, prebuiltAppConfig, type AppConfig } from '@mlc-ai/web-llm';

self.onmessage = async (event: MessageEvent<{ id: string; appConfig?: { model_list: AppConfig['model_list'] } }>) => {
  const { id, appConfig } = event.data;
  try {
    const config: AppConfig = { model_list: appConfig?.model_list ?? prebuiltAppConfig.model_list, cacheBackend: 'indexeddb' };
    self.postMessage({ has: await hasModelInCache(id, config) });
  } catch (error) {
    self.postMessage({ error: `${(error as Error).name}: ${(error as Error).message}` });
  }
};
