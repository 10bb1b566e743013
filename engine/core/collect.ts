/**
 * A full garbage collection on demand, in a full run only: between its reconcile and its save,
 * and once it let its snapshot rows go before classifying (reconcile.ts). The run's
 * columnar tables (1M keys: ~450 MiB of typed arrays) are garbage once it has reconciled, but
 * V8 frees an ArrayBuffer only when a full collection finds it dead, and a save's allocations
 * die young, so none came: the save's memory stacked on tables nobody used (1M keys, 3
 * interleaved runs: peak RSS median 1,130 -> 1,013 MiB, the peak now the end of classifying;
 * the collection costs ~0.3 s). Never on the live path: each event would pay for nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Collects once the current job has ended: the value an `await` just handed over (a run's
 * result, with its tables) stays reachable until then. Does nothing where the engine refuses to
 * expose its collector.
 */
export async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (collect === undefined) {
    try {
      // the documented flag, set for a fresh context: `gc` appears there, not in this one
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
