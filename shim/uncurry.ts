const apply = Reflect.apply;

/** `method` as a plain function taking its receiver first, immune to later prototype patches by the page. */
export function uncurry<This, Args extends unknown[], R>(method: (this: This, ...args: Args) => R) {
  return (self: This, ...args: Args): R => apply(method, self, args);
}
