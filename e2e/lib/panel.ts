// Reading and driving the Sockscope panel's DOM through its test hooks, in
// either browser (anything with `evaluate`).
//
//   [data-testid=socket-row]  one per socket, shows its URL; click selects it
//   [data-testid=message-row]   one per visible message, shows a payload preview
//   [data-testid=clear]
//
// and generic ones: click, type into or read any element by its test id.
import type { Evaluator } from './devtools';
import { waitFor, type WaitOptions } from './wait';

/** Texts of the rows with this test id that are in the DOM now. */
export function rowTexts(panel: Evaluator, testId: 'socket-row' | 'message-row'): Promise<string[]> {
  return panel.evaluate<string[]>(
    `Array.from(document.querySelectorAll('[data-testid=${testId}]'), (row) => row.textContent ?? '')`,
  );
}

/** Waits for a socket row showing `url`, then clicks it. */
export async function selectSocket(panel: Evaluator, url: string, options?: WaitOptions): Promise<void> {
  await waitFor(
    `a [data-testid=socket-row] showing ${url}`,
    () =>
      panel.evaluate<boolean>(`(() => {
        const row = Array.from(document.querySelectorAll('[data-testid=socket-row]'))
          .find((r) => (r.textContent ?? '').includes(${JSON.stringify(url)}));
        if (!row) return false;
        row.click();
        return true;
      })()`),
    options,
  );
}

/**
 * Texts of ALL message rows of the selected socket, top to bottom. The messages
 * table is virtualized (only rows near the viewport exist), so this scrolls
 * its scroll container through the whole list. A row seen at several scroll
 * positions is counted once: rows are keyed by their offset in the scrolled
 * content, which is unique per row whatever the virtualizer recycles.
 */
export function allMessageTexts(panel: Evaluator): Promise<string[]> {
  return panel.evaluate<string[]>(`(async () => {
    const rows = () => Array.from(document.querySelectorAll('[data-testid=message-row]'));
    const first = rows()[0];
    if (!first) return [];
    let box = first.parentElement;
    while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
      box = box.parentElement;
    }
    if (!box) return rows().map((r) => r.textContent ?? '');
    const animationFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)));
    const seen = new Map();
    const collect = () => {
      const top = box.getBoundingClientRect().top - box.scrollTop;
      for (const row of rows()) seen.set(Math.round(row.getBoundingClientRect().top - top), row.textContent ?? '');
    };
    const restore = box.scrollTop;
    const step = Math.max(1, Math.floor(box.clientHeight / 2));
    for (let y = 0; ; y += step) {
      box.scrollTop = y;
      await animationFrame();
      collect();
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) break;
    }
    box.scrollTop = restore;
    return [...seen.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
  })()`);
}

/**
 * Waits until, for each entry, at least `count` message rows show `text`;
 * returns all message texts (callers then assert exact counts).
 */
export async function waitForMessages(panel: Evaluator, expected: Record<string, number>, options?: WaitOptions): Promise<string[]> {
  const shortOf = (texts: string[]) =>
    Object.entries(expected)
      .map(([text, count]) => ({ text, count, seen: texts.filter((t) => t.includes(text)).length }))
      .filter(({ count, seen }) => seen < count);
  let texts: string[] = [];
  return waitFor(
    () => {
      const short = shortOf(texts).map(({ text, count, seen }) => `${text} (${seen} of ${count})`);
      return `message rows showing ${short.join(', ')}; message rows seen: ${JSON.stringify(texts.slice(0, 50))}`;
    },
    async () => {
      texts = await allMessageTexts(panel);
      return shortOf(texts).length === 0 && texts;
    },
    { intervalMs: 250, ...options },
  );
}

const selector = (testId: string) => JSON.stringify(`[data-testid="${testId}"]`);

export function click(panel: Evaluator, testId: string): Promise<void> {
  return panel.evaluate(`(() => {
    const element = document.querySelector(${selector(testId)});
    if (!element) throw new Error('no ' + ${selector(testId)});
    element.click();
  })()`);
}

/** Types into an input, or chooses in a select, as a user would. */
export function setField(panel: Evaluator, testId: string, value: string): Promise<void> {
  return panel.evaluate(`(() => {
    const element = document.querySelector(${selector(testId)});
    if (!element) throw new Error('no ' + ${selector(testId)});
    element.value = ${JSON.stringify(value)};
    element.dispatchEvent(new Event(element.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  })()`);
}

export function textOf(panel: Evaluator, testId: string): Promise<string | null> {
  return panel.evaluate(`document.querySelector(${selector(testId)})?.textContent ?? null`);
}

/** Text with the locale's group separators taken out of its numbers: "60,001" reads "60001". */
export const ungrouped = (text: string): string => text.replace(/(\d)[^\d\s](?=\d{3})/g, '$1');

/** Waits until the filter bar's count reads `text` (its numbers ungrouped); says what it read if it never does. */
export async function waitForFilterCount(panel: Evaluator, text: string, options?: WaitOptions): Promise<void> {
  let shows: string | null = null;
  await waitFor(() => `the filter count "${text}" (it shows "${shows}")`, async () => (shows = await textOf(panel, 'filter-count')) !== null && ungrouped(shows) === text, options);
}

/** The selected socket's facts (Not kept, Kept in part, …), by label, with their numbers' group separators taken out. */
export const summaryFacts = async (panel: Evaluator): Promise<Record<string, string>> =>
  Object.fromEntries(
    (
      await panel.evaluate<[string, string][]>(`Array.from(document.querySelectorAll('[data-testid=summary-fact]'), (fact) =>
        [fact.firstElementChild.textContent, fact.textContent.slice(fact.firstElementChild.textContent.length).trim()])`)
    ).map(([label, value]) => [label, ungrouped(value)]),
  );

/** The leading number of a fact, 0 when the panel does not show it. */
export const leadingNumber = (fact: string | undefined): number => (fact === undefined ? 0 : Number(/^\d+/.exec(fact)?.[0]));

export function attributeOf(panel: Evaluator, testId: string, name: string): Promise<string | null> {
  return panel.evaluate(`document.querySelector(${selector(testId)})?.getAttribute(${JSON.stringify(name)}) ?? null`);
}

export function count(panel: Evaluator, css: string): Promise<number> {
  return panel.evaluate(`document.querySelectorAll(${JSON.stringify(css)}).length`);
}

/** Opens the message row showing `text` and waits for its detail. */
export async function openRow(panel: Evaluator, text: string): Promise<void> {
  await waitFor(`a message row showing ${text}`, () =>
    panel.evaluate<boolean>(`(() => {
      const row = [...document.querySelectorAll('[data-testid=message-row]')].find((r) => r.textContent.includes(${JSON.stringify(text)}));
      if (!row) return false;
      row.click();
      return true;
    })()`),
  );
  await waitFor('the message detail', async () => (await count(panel, '[data-testid=message-detail]')) === 1);
}

/** Puts `text` into a file input as the user choosing a file named `name` would. */
export function chooseFile(panel: Evaluator, testId: string, name: string, text: string): Promise<void> {
  return panel.evaluate(`(() => {
    const input = document.querySelector(${selector(testId)});
    const files = new DataTransfer();
    files.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: 'application/json' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

/** Puts `text` into the panel's HAR file input as the user choosing a file would; waits for it to show unless it should fail. */
export async function importFile(panel: Evaluator, name: string, text: string, expectShown = true): Promise<void> {
  await chooseFile(panel, 'import-har', name, text);
  if (expectShown) await waitFor(`${name} shown`, async () => (await textOf(panel, 'file-banner'))?.includes(name) === true);
}

/** The file a button (`export-har`, `export-jsonl`) downloads, caught at the download link's click (no browser download needed). */
export function exported(panel: Evaluator, testId: string): Promise<string> {
  return panel.evaluate<string>(`new Promise((resolve) => {
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      HTMLAnchorElement.prototype.click = click;
      fetch(this.href).then((response) => response.text()).then(resolve);
    };
    document.querySelector('[data-testid=${testId}]').click();
  })`);
}

/** The text a click on `selector` copies, caught at the Clipboard API (a headless panel's clipboard cannot be read back). */
export function copied(panel: Evaluator, selector: string): Promise<string> {
  return panel.evaluate<string>(`new Promise((resolve) => {
    const clipboard = navigator.clipboard;
    clipboard.writeText = (text) => {
      delete clipboard.writeText;
      resolve(text);
      return Promise.resolve();
    };
    document.querySelector(${JSON.stringify(selector)}).click();
  })`);
}
