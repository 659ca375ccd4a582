/**
 * Makes errors thrown across comlink arrive as real errors with their `name`, `code` and `details`.
 *
 * comlink's default `throw` handler keeps name/message/stack only, so a `RuntimeError`'s `code` would be lost.
 * This replaces it with one that serializes through `serializeError` (a superset of the default: plain errors
 * arrive as before, other thrown values unchanged, so other comlink users in the same page are not affected). It must be installed on both sides; the page does it when it creates a worker, the worker
 * at start-up. Installing is idempotent and done in a function, not at import (the package is side-effect free).
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { deserializeError, serializeError, type SerializedError } from '../engine/errors.js';

type Thrown = { value: unknown };
type WireThrown = { isError: true; value: SerializedError } | { isError: false; value: unknown };

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  const original = transferHandlers.get('throw') as TransferHandler<Thrown, WireThrown> | undefined;
  if (!original) throw new Error('comlink has no "throw" transfer handler: unsupported comlink version (expected 4.x)');
  const handler: TransferHandler<Thrown, WireThrown> = {
    canHandle: original.canHandle,
    serialize({ value }) {
      // Errors (and DOMExceptions) only; anything else is thrown back as is, exactly as comlink's own handler does.
      const isErrorLike = value instanceof Error || (typeof DOMException !== 'undefined' && value instanceof DOMException);
      return [isErrorLike ? { isError: true, value: serializeError(value) } : { isError: false, value }, []];
    },
    deserialize(wire) {
      if (wire.isError) throw deserializeError(wire.value);
      throw wire.value;
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  installed = true;
}
