// A file the panel writes, saved as the browser saves a download.

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Now, as a file name may hold it. */
export const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
