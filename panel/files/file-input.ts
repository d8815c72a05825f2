// A file input's change: the file chosen, handed on once, and the input
// cleared so that choosing the same file again is a change too.

export const onFileChosen =
  (use: (file: File) => void) =>
  (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) use(file);
  };
