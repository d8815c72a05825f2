// Close socket…: a code and a reason, checked as the standard checks them,
// what is wrong said inline, nothing sent until both are right.
import { useState } from 'preact/hooks';
import { readCloseArguments } from './close-arguments';

export interface CloseSocketProps {
  /** Closes the socket; false when the panel could not reach the page. */
  onClose: (code: number | null, reason: string) => boolean;
  onDone: () => void;
}

export function CloseSocket({ onClose, onDone }: CloseSocketProps) {
  const [code, setCode] = useState('1000');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const read = readCloseArguments(code, reason);
    if ('error' in read) return setError(read.error);
    if (!onClose(read.code, read.reason)) return setError('Not connected to the page: try again in a moment');
    onDone();
  };
  return (
    <form class="close-socket" data-testid="close-form" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <label>
        Code{' '}
        <input
          data-testid="close-code"
          class="close-code"
          inputMode="numeric"
          title="1000, or 3000–4999; empty for none"
          value={code}
          aria-invalid={error !== null}
          onInput={(event) => {
            setCode(event.currentTarget.value);
            setError(null);
          }}
        />
      </label>
      <label>
        Reason{' '}
        <input
          data-testid="close-reason"
          class="close-reason"
          title="At most 123 UTF-8 bytes"
          value={reason}
          onInput={(event) => {
            setReason(event.currentTarget.value);
            setError(null);
          }}
        />
      </label>
      <button type="submit" class="primary-button" data-testid="close-submit">
        Close
      </button>
      <button type="button" class="text-button" onClick={onDone}>
        Cancel
      </button>
      {error !== null && (
        <span class="composer-error" role="alert" data-testid="close-error">
          {error}
        </span>
      )}
    </form>
  );
}
