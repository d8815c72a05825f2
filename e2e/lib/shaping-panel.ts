// Driving the panel's shaping controls through their test ids, in either
// browser (anything with `evaluate`).
//
//   [data-testid=shaping-edit]   opens the rule editor: rule-kind, rule-scope, rule-pattern,
//                                rule-up.latencyMs …, rule-offline (shaping), rule-direction,
//                                rule-data-kind, rule-data, rule-find, rule-replacement, rule-reply
//                                (intercepting), rule-add, rule-error, rule-list, rules-export,
//                                rules-import, rules-file-error
//   [data-testid=view-shaping]   a socket's Shaping view: consumer-pause, consumer-step,
//                                consumer-follow-rule, held-consumer[data-messages],
//                                consumer-state[data-state][data-overridden], socket-charts
import type { Evaluator } from './devtools';
import { attributeOf, click, count, setField, textOf } from './panel';
import { waitFor } from './wait';

export interface RuleForm {
  /** 'shaping' (the default), or an intercept rule: 'drop', 'rewrite', 'reply'. */
  kind?: 'shaping' | 'drop' | 'rewrite' | 'reply';
  scope?: 'all' | 'url' | 'regex' | 'socket';
  pattern?: string;
  /** By field name, in order: `up.latencyMs`, `down.bytesPerSecond`, `consumer.messagesPerSecond`, `direction`, `data-kind`, `data`, … */
  values?: Record<string, string>;
  offline?: '' | 'stall' | 'drop' | 'refuse';
  /** Tick "paused" for the page as a consumer. */
  consumerPaused?: boolean;
}

/**
 * Fills the rule editor (opening it if needed) and presses "Add rule"; returns
 * the error shown, or null once the rule is listed.
 */
export async function addRule(panel: Evaluator, form: RuleForm): Promise<string | null> {
  if ((await count(panel, '[data-testid=rule-editor]')) === 0) await click(panel, 'shaping-edit');
  await waitFor('the rule editor', async () => (await count(panel, '[data-testid=rule-scope]')) === 1);
  const before = await count(panel, '[data-testid=rule-list] li');
  const kind = form.kind ?? 'shaping';
  await setField(panel, 'rule-kind', kind);
  await setField(panel, 'rule-scope', form.scope ?? 'all');
  if (form.pattern !== undefined) {
    await waitFor('the pattern field', async () => (await count(panel, '[data-testid=rule-pattern]')) === 1);
    await setField(panel, 'rule-pattern', form.pattern);
  }
  for (const [field, value] of Object.entries(form.values ?? {})) await setField(panel, `rule-${field}`, value);
  if (kind === 'shaping') {
    await setField(panel, 'rule-offline', form.offline ?? '');
    const paused = await panel.evaluate<boolean>(`document.querySelector('[data-testid=rule-consumer-paused]').checked`);
    if (paused !== (form.consumerPaused ?? false)) await click(panel, 'rule-consumer-paused');
  }
  await click(panel, 'rule-add');
  return waitFor('the rule listed, or an error', async () => {
    const error = await textOf(panel, 'rule-error');
    if (error !== null) return { error };
    return (await count(panel, '[data-testid=rule-list] li')) > before && { error: null };
  }).then((outcome) => outcome.error);
}

/** The messages shaping holds for the selected socket at `stage`, as its Shaping view shows them. */
export async function heldMessages(panel: Evaluator, stage: 'up' | 'down' | 'consumer'): Promise<number> {
  return Number(await attributeOf(panel, `held-${stage}`, 'data-messages'));
}
