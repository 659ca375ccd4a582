/** Errors the element's methods reject with. Each has an explicit `name` (minifiers mangle class names) and a `code`. */
import type { Problem } from './problems.js';

/** `ask()` while another question is in flight. The element does not queue: stop() first, or wait for `moa-done`. */
export class AttentionMoABusyError extends Error {
  readonly code = 'busy';
  constructor() {
    super('A question is already being answered: call stop() first, or wait for the moa-done / moa-stopped event.');
    this.name = 'AttentionMoABusyError';
  }
}

/** A problem the element showed (configuration, loading or the run itself); `problem` is the `moa-error` detail. */
export class AttentionMoAElementError extends Error {
  readonly code: string;
  constructor(readonly problem: Problem) {
    super(`${problem.title}: ${problem.message} — ${problem.nextStep}`);
    this.name = 'AttentionMoAElementError';
    this.code = problem.code;
  }
}
