// Copying from the panel. The async Clipboard API can be refused in a
// DevTools panel (no focus, no permission); a selected textarea and
// execCommand('copy') is the fallback that DevTools extensions rely on.
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    return done;
  }
}
