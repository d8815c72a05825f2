// A JSON payload as a tree: objects and arrays open one level at a time (a
// payload nested ten thousand deep renders its first level only), long
// containers a thousand children at a time, and every node can copy its
// value or its path. Keys and values render as text.
import { useState } from 'preact/hooks';
import { copyText } from './clipboard';
import { oneLine } from './format';

const CHILDREN_STEP = 1_000;
const VALUE_CHARS = 2_000;
const KEY_CHARS = 200;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.a[0]["odd key"]`: the path of a child, as JSONPath. */
export function childPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <ul class="json-tree" role="tree" data-testid="json-tree">
      <JsonNode name={null} value={value} path="$" open={true} />
    </ul>
  );
}

function JsonNode({ name, value, path, open: initiallyOpen }: { name: string | null; value: unknown; path: string; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [shown, setShown] = useState(CHILDREN_STEP);
  const container = value !== null && typeof value === 'object';
  const isArray = Array.isArray(value);
  const keys = container && open ? Object.keys(value as object) : [];
  const size = container ? (isArray ? (value as unknown[]).length : Object.keys(value as object).length) : 0;
  return (
    <li role="treeitem" aria-expanded={container ? open : undefined} data-path={path}>
      <span class="json-line">
        {container ? (
          <button type="button" class="json-toggle" aria-label={open ? 'Collapse' : 'Expand'} onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="json-toggle" />
        )}
        {name !== null && <span class="json-key">{oneLine(name, KEY_CHARS)}: </span>}
        {container ? (
          <span class="json-summary">{isArray ? `Array(${size})` : `{${size} ${size === 1 ? 'key' : 'keys'}}`}</span>
        ) : (
          <span class={`json-${value === null ? 'null' : typeof value}`}>{oneLine(JSON.stringify(value), VALUE_CHARS)}</span>
        )}
        <button type="button" class="json-copy" title="Copy value" data-testid="json-copy-value" onClick={() => void copyText(JSON.stringify(value, null, 2))}>
          copy
        </button>
        <button type="button" class="json-copy" title={`Copy path: ${oneLine(path, 200)}`} data-testid="json-copy-path" onClick={() => void copyText(path)}>
          path
        </button>
      </span>
      {container && open && (
        <ul role="group">
          {keys.slice(0, shown).map((key) => (
            <JsonNode key={key} name={key} value={(value as Record<string, unknown>)[key]} path={childPath(path, key, isArray)} open={false} />
          ))}
          {keys.length > shown && (
            <li>
              <button type="button" class="text-button" onClick={() => setShown(shown + CHILDREN_STEP)}>
                {keys.length - shown} more…
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}
