// A tab's rules to and from a JSON file: an array of the rules as the shim
// reads them (shaping and intercept rules in one list), which is also what
// the Playwright helper's `rules` option takes. A file is read whole or not
// at all: the first bad rule is named by its index and field, and nothing
// is applied.
import type { PanelRule } from '../../shim/wire/messages';
import { MAX_RULES } from '../../shim/wire/readers';
import { RuleError } from '../../shim/shaping/rule';
import { readPanelRule } from '../shaping/intercept-rule-check';
import { matchLabel } from '../shaping/rule-scope';
import { download, stamp } from './download';
import { parseJson } from './json-text';

/** Larger files are refused before they are read: the background keeps a tab's rules in session storage, which is small. */
export const MAX_RULES_FILE_BYTES = 4 * 1024 * 1024;

/** The rules as the file holds them; a rule for one socket of one document keeps its match, and loses its document. */
export const rulesFileText = (rules: readonly PanelRule[]): string => `${JSON.stringify(rules.map(({ rule }) => rule), null, 2)}\n`;

/** How many of `rules` are limited to one document, which a reload ends: in a file they name that socket id in any document. */
export const documentOnlyCount = (rules: readonly PanelRule[]): number => rules.filter(({ instance }) => instance !== null).length;

/** The file's rules, for every document of the tab; a RuleError says which rule is wrong and why. */
export function readRulesFile(text: string): PanelRule[] {
  const parsed = parseJson(text, (message) => new RuleError(message));
  if (!Array.isArray(parsed)) throw new RuleError('a rules file is a JSON array of rules');
  if (parsed.length > MAX_RULES) throw new RuleError(`${parsed.length} rules: a tab has at most ${MAX_RULES}`);
  return parsed.map((input: unknown, index) => {
    try {
      const rule = readPanelRule(input);
      return { rule, instance: null, label: matchLabel(rule.match) };
    } catch (error) {
      if (error instanceof RuleError) throw new RuleError(`rule ${index}: ${error.message}`);
      throw error;
    }
  });
}

/** Reads a chosen file, bounded first. */
export async function importRulesFile(file: File): Promise<PanelRule[]> {
  if (file.size > MAX_RULES_FILE_BYTES) throw new RuleError(`${file.name} is larger than ${MAX_RULES_FILE_BYTES / 1024 / 1024} MiB`);
  return readRulesFile(await file.text());
}

/** Saves the rules as a file. */
export const exportRulesFile = (rules: readonly PanelRule[]): void => download(`sockscope-rules-${stamp()}.json`, rulesFileText(rules), 'application/json');
