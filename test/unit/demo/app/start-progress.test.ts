import { describe, expect, it } from 'vitest';
import { StartProgress, startErrorText, type StartingView } from '../../../../demo/src/app/start-progress.js';

describe('the start screen while models load', () => {
  const start = () => {
    const shown: StartingView[] = [];
    const progress = new StartProgress([{ id: 'a-MLC', label: 'Model A' }, { id: 'b-MLC', label: 'Model B' }], (v) => shown.push(v));
    return { shown, progress };
  };

  it('shows one waiting row per model under the intro line', () => {
    const { shown, progress } = start();
    progress.say('Preparing 2 models…');
    expect(shown.at(-1)).toEqual({
      text: 'Preparing 2 models…',
      models: [
        { model: 'Model A', fraction: 0, text: 'waiting', state: 'waiting' },
        { model: 'Model B', fraction: 0, text: 'waiting', state: 'waiting' },
      ],
    });
  });

  it('moves the row the pool reports on, with the overall line and fraction above', () => {
    const { shown, progress } = start();
    progress.onEvent({
      type: 'progress', slot: 's1', model: 'b-MLC',
      progress: { key: 'b-MLC', state: 'loading', fraction: 0.5, text: 'Fetching 50%' },
      overall: { fraction: 0.25, elapsedSeconds: 3, text: 'Loading 2 models: 25%' },
    });
    expect(shown.at(-1)).toEqual({
      text: 'Loading 2 models: 25%',
      progress: 0.25,
      models: [
        { model: 'Model A', fraction: 0, text: 'waiting', state: 'waiting' },
        { model: 'Model B', fraction: 0.5, text: 'Fetching 50%', state: 'loading' },
      ],
    });
  });

  it('marks a failed model with its error, and says swap mode out loud', () => {
    const { shown, progress } = start();
    progress.onEvent({ type: 'load-failed', slot: 's1', model: 'a-MLC', error: new Error('HTTP 404 for a.wasm') });
    progress.onEvent({ type: 'swap-mode', message: 'Swap mode: loaded in turns', loads: 3, reloads: 1 });
    expect(shown.at(-1)!.text).toBe('Swap mode: loaded in turns');
    expect(shown.at(-1)!.models[0]).toEqual({ model: 'Model A', fraction: 0, text: 'HTTP 404 for a.wasm', state: 'failed' });
  });

  it('says a cancelled load keeps what was downloaded, and a failed one names the error and the simulation', () => {
    expect(startErrorText(Object.assign(new Error('x'), { code: 'LOAD_CANCELLED' }), false)).toMatch(/^Loading was cancelled\. Nothing is lost/);
    expect(startErrorText(new Error('boom'), true)).toMatch(/^Loading was cancelled/);
    expect(startErrorText(new Error('No space left.'), false)).toBe('The models could not be loaded: No space left. You can still try the protocol in the simulation.');
  });
});
