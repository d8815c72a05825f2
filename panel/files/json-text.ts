// A file's text as JSON, or the caller's error saying it is not.

export function parseJson(text: string, fail: (message: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON: ${(error as Error).message}`);
  }
}
