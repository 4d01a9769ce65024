// Host side of fuel metering (codegen/fuel.ts): set the budget before an evaluation, read what
// it burned afterwards. Modules without the exports (`opa build`, older Arbiter builds) run
// unmetered: setting is a no-op and no fuel figure is reported.
import { FUEL_ABORT_PREFIX, FUEL_SET_EXPORT, FUEL_USED_EXPORT } from '../codegen/fuel';

export { FUEL_ABORT_PREFIX };

/** Budget for an evaluation: a positive integer, or Infinity (the default) for unlimited. */
export function fuelBudget(fuel: number | bigint | undefined): number {
  if (fuel === undefined || fuel === Infinity) return Infinity;
  const n = typeof fuel === 'bigint' ? Number(fuel) : fuel;
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`fuel must be a positive integer or Infinity, got ${String(fuel)}`);
  return n;
}

type Exports = Record<string, unknown>;

/** Sets the budget; false when the module is not metered. */
export function setFuel(exports: Exports, budget: number): boolean {
  const set = exports[FUEL_SET_EXPORT];
  if (typeof set !== 'function') return false;
  (set as (n: number) => void)(budget);
  return true;
}

/** Fuel burned by the last evaluation (undefined when the module is not metered). */
export function fuelUsed(exports: Exports): number | undefined {
  const used = exports[FUEL_USED_EXPORT];
  return typeof used === 'function' ? (used as () => number)() : undefined;
}

export function isFuelAbort(message: string): boolean {
  return message.startsWith(FUEL_ABORT_PREFIX);
}
