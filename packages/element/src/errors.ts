/** Errors the element's methods reject with: MoAErrors, each with an explicit `name` (minifiers mangle class names) and a `code`. */
import { MoAError } from '@attention-moa/core/lite';
import type { Problem } from './problems.js';

/** `ask()` while another question is in flight. The element does not queue: stop() first, or wait for `moa-done`. */
export class AttentionMoABusyError extends MoAError {
  declare readonly code: 'busy';
  constructor() {
    super('busy', 'A question is already being answered: call stop() first, or wait for the moa-done / moa-stopped event.');
    this.name = 'AttentionMoABusyError';
  }
}

/** A problem the element showed (configuration, loading or the run itself); `problem` is the `moa-error` detail. */
export class AttentionMoAElementError extends MoAError {
  declare readonly code: Problem['code'];
  constructor(readonly problem: Problem) {
    super(problem.code, `${problem.title}: ${problem.message} — ${problem.nextStep}`);
    this.name = 'AttentionMoAElementError';
  }
}
