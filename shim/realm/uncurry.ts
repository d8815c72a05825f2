const call = Function.prototype.call;

/**
 * `method` as a plain function taking its receiver first, immune to later
 * prototype patches by the page. A bound `call` allocates nothing per call:
 * this runs for every message (do not turn it into a rest-args wrapper).
 */
export function uncurry<This, Args extends unknown[], R>(method: (this: This, ...args: Args) => R) {
  return call.bind(method) as unknown as (self: This, ...args: Args) => R;
}
