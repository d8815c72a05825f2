// A JSON payload as a tree: objects and arrays open one level at a time, past
// the first `openLevels` (a payload nested ten thousand deep renders only
// those), long containers a thousand children at a time, and every node can
// copy its value or its path. Keys and values render as text.
import { useState } from 'preact/hooks';
import { copyText } from '../shell/clipboard';
import { oneLine } from '../model/format';
import './json-tree.css';

const CHILDREN_STEP = 1_000;
const VALUE_CHARS = 2_000;
const KEY_CHARS = 200;
/** Only the children of containers this small start open: `openLevels` can then open a few thousand nodes at most. */
const AUTO_OPEN_CHILDREN = 8;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.a[0]["odd key"]`: the path of a child, as JSONPath. */
export function childPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** `openLevels`: how many levels start open (1: the root's children show). */
export function JsonTree({ value, openLevels = 1 }: { value: unknown; openLevels?: number }) {
  return (
    <ul class="json-tree" role="tree" data-testid="json-tree">
      <JsonNode name={null} value={value} path="$" openLevels={openLevels} />
    </ul>
  );
}

interface NodeProps {
  name: string | null;
  value: unknown;
  path: string;
  /** Levels from this node down that start open. */
  openLevels: number;
}

function JsonNode({ name, value, path, openLevels }: NodeProps) {
  const [open, setOpen] = useState(openLevels > 0);
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
            <JsonNode key={key} name={key} value={(value as Record<string, unknown>)[key]} path={childPath(path, key, isArray)} openLevels={size <= AUTO_OPEN_CHILDREN ? openLevels - 1 : 0} />
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
