/** A JSON object (not an array, not null): what decoders and the HAR reader take apart field by field. */
export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
