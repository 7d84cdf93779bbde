// Under ESM, instrumentations can only patch modules that pass through import-in-the-middle's loader
// hook. Node 24 runs it synchronously in-thread (module.registerHooks); older runtimes fall back to
// the asynchronous loader thread (module.register). Only the modules we instrument are intercepted.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import {
  register as registerSyncHooks,
  supportsSyncHooks,
} from 'import-in-the-middle/register-hooks.mjs';

let installed = false;

const NOTHING_TO_WAIT_FOR = (): Promise<void> => Promise.resolve();

/**
 * Installs the hook; returns a function to await once the instrumentations are enabled (the
 * asynchronous loader must acknowledge their module list before application code is imported).
 */
export function installEsmHooks(modules: readonly string[]): () => Promise<void> {
  if (installed) return NOTHING_TO_WAIT_FOR;
  installed = true;
  if (supportsSyncHooks()) {
    registerSyncHooks({ include: [...modules] });
    return NOTHING_TO_WAIT_FOR;
  }
  // Node 24 before 24.11.1: the asynchronous loader thread (module.register, deprecated since).
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  const data = registerOptions.data as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    ...registerOptions,
    data: { ...data, include: [...modules] },
  });
  return waitForAllMessagesAcknowledged;
}
