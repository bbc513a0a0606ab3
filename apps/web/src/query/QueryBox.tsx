import {
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { QueryError } from '../api/documents/devices.ts';
import {
  applySuggestion,
  caretWord,
  describeQueryError,
  suggestionsFor,
  underline,
  type Vocabulary,
} from './queryBoxLogic.ts';

interface QueryBoxProps {
  value: string;
  onChange(value: string): void;
  /** Enter without an open suggestion list. */
  onSubmit(): void;
  vocabulary: Vocabulary;
  error: QueryError | null;
  label?: string;
}

/**
 * A tag-query input with autocomplete (a combobox: arrows move, Enter or
 * Tab picks, Escape closes) and the current error underlined at its
 * position, its line and column, message and did-you-mean suggestions
 * shown under the box. Every view that edits a query shows errors here.
 *
 * It is a textarea one line high that grows with its text: a query may
 * hold line breaks (a link's `?q=`, a group written through the API), and
 * a one-line input would drop them from view while they stay in the
 * query. Enter submits; Shift+Enter starts a new line.
 */
export function QueryBox({
  value,
  onChange,
  onSubmit,
  vocabulary,
  error,
  label = 'Tag query',
}: QueryBoxProps) {
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const messageId = useId();
  const [caret, setCaret] = useState(value.length);
  const [isOpen, setIsOpen] = useState(false);
  const [active, setActive] = useState(0);

  const word = useMemo(
    () => caretWord(value, Math.min(caret, value.length)),
    [value, caret],
  );
  const suggestions = useMemo(
    () => suggestionsFor(word, vocabulary),
    [word, vocabulary],
  );
  const isListShown = isOpen && suggestions.length > 0;

  useLayoutEffect(() => fitToText(inputRef.current), [value]);
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1));

  const pick = (index: number) => {
    const suggestion = suggestions[index];
    if (!suggestion) return;

    const next = applySuggestion(value, word, suggestion);
    onChange(next.text);
    setCaret(next.caret);
    setActive(0);
    requestAnimationFrame(() =>
      inputRef.current?.setSelectionRange(next.caret, next.caret),
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (isListShown && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + suggestions.length) % suggestions.length);
    } else if (
      isListShown &&
      ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab')
    ) {
      // Shift+Enter still starts a new line while suggestions show.
      event.preventDefault();
      pick(activeIndex);
    } else if (event.key === 'Escape') {
      setIsOpen(false);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      onSubmit();
    } else if (
      (event.key === 'ArrowDown' && isOnLastLine(event.currentTarget)) ||
      (event.key === ' ' && event.ctrlKey)
    ) {
      event.preventDefault();
      setIsOpen(true);
    }
  };

  const marked = error
    ? underline(value, error.position.offset, error.position.length)
    : null;
  const errorText = error ? describeQueryError(error) : null;

  return (
    <div className="query-box">
      <label htmlFor={`${listId}-input`}>{label}</label>
      <div className="query-field">
        <div className="query-mirror" ref={mirrorRef} aria-hidden="true">
          {marked && (
            <>
              {marked.before}
              <mark className="query-error-mark" data-testid="query-error-mark">
                {marked.isAtEnd ? '\u00a0' : marked.error}
              </mark>
              {marked.after}
            </>
          )}
        </div>
        <textarea
          id={`${listId}-input`}
          rows={1}
          ref={inputRef}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={isListShown}
          aria-controls={listId}
          aria-activedescendant={
            isListShown ? `${listId}-${activeIndex}` : undefined
          }
          aria-invalid={error !== null}
          aria-describedby={error ? messageId : undefined}
          spellCheck={false}
          autoComplete="off"
          value={value}
          placeholder="tag:production AND status:healthy"
          onChange={(event) => {
            onChange(event.target.value);
            setCaret(event.target.selectionStart ?? event.target.value.length);
            setIsOpen(true);
            setActive(0);
          }}
          onSelect={(event) =>
            setCaret(event.currentTarget.selectionStart ?? 0)
          }
          onScroll={(event) => {
            if (!mirrorRef.current) return;

            mirrorRef.current.scrollLeft = event.currentTarget.scrollLeft;
            mirrorRef.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setIsOpen(false)}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Suggestions"
          className="suggestions"
          hidden={!isListShown}
        >
          {suggestions.map((suggestion, index) => (
            <li
              key={`${suggestion.kind}:${suggestion.label}`}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(index);
              }}
            >
              <span>{suggestion.label}</span>
              <span className="muted">
                {suggestion.detail ?? suggestion.kind}
              </span>
            </li>
          ))}
        </ul>
      </div>
      {errorText && (
        <p id={messageId} className="query-message error-text" role="alert">
          {errorText.summary}
          {errorText.didYouMean && (
            <span className="query-did-you-mean"> {errorText.didYouMean}</span>
          )}
        </p>
      )}
    </div>
  );
}

/** Sets the box's height to its text's, so that every line shows. */
function fitToText(box: HTMLTextAreaElement | null): void {
  if (!box) return;

  const borders = box.offsetHeight - box.clientHeight;
  box.style.height = 'auto';
  box.style.height = `${box.scrollHeight + borders}px`;
}

/** True when the caret is on the text's last line (ArrowDown has no line to go to). */
function isOnLastLine(box: HTMLTextAreaElement): boolean {
  return !box.value.slice(box.selectionEnd).includes('\n');
}
