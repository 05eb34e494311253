import { ChevronRight } from 'lucide-react';
import { useId, useRef, type ReactNode } from 'react';
import '../styles/query-group.css';
import type { ChatItem } from '../lib/chat';
import { formatNumber } from '../lib/format';

type QueryItem = Extract<ChatItem, { kind: 'query' }>;

/** Fewer results than this in a row are shown as they are. */
export const FOLD_AT = 3;

export interface Fold {
  /** The group's own key: its first result's. */
  key: string;
  queries: QueryItem[];
  /** The text or chart the group is shown after; null while none follows yet (it stays where its results are). */
  after: string | null;
}

/**
 * The runs of results an answer ran one after another before writing about them, when there are
 * enough to bury the text: each is shown folded, after the text and charts that follow it (up to
 * the answer's next query).
 */
export function foldedQueries(items: ChatItem[]): Fold[] {
  const folds: Fold[] = [];
  let i = 0;
  while (i < items.length) {
    if (items[i].kind !== 'query') {
      i++;
      continue;
    }
    const queries: QueryItem[] = [];
    for (; i < items.length; i++) {
      const it = items[i];
      if (it.kind !== 'query') break;
      queries.push(it);
    }
    if (queries.length < FOLD_AT) continue;
    let after: string | null = null;
    for (let j = i; j < items.length && items[j].kind !== 'query'; j++) {
      const it = items[j];
      if (it.kind === 'text' || it.kind === 'plot') after = it.key;
    }
    folds.push({ key: queries[0].key, queries, after });
  }
  return folds;
}

/** The query on one line for the folded list (cut to fit by CSS); a leading "-- comment" is its caption. */
function caption(sql: string | undefined): string {
  const text = (sql ?? '').trim();
  const comment = /^--\s*(.+)/.exec(text);
  if (comment) return comment[1].trim();
  return text.replace(/\s+/g, ' ') || 'Query';
}

function rowsLabel(q: QueryItem): string {
  if (q.data.is_error) return 'failed';
  const n = q.data.row_count ?? q.data.result?.length ?? 0;
  return `${formatNumber(n)} ${n === 1 ? 'row' : 'rows'}`;
}

/** A disclosure holding an answer's results: folded, one line each; open, the result cards themselves. */
export function QueryGroup({
  queries,
  indexes,
  open,
  onToggle,
  children,
}: {
  queries: QueryItem[];
  /** Each result's number in the conversation, by key (as its SQL block shows it). */
  indexes: Map<string, number>;
  open: boolean;
  onToggle: (open: boolean) => void;
  /** The result cards; kept mounted while folded, so a traced figure's cell and loaded rows stay. */
  children: ReactNode;
}) {
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const title = 'Queries behind these figures';
  return (
    <section className={`query-group${open ? ' is-open' : ''}`} aria-labelledby={`${id}-t`}>
      <button
        type="button"
        ref={toggle}
        id={`${id}-t`}
        className="query-group-toggle"
        aria-expanded={open}
        aria-controls={`${id}-b`}
        onClick={() => onToggle(!open)}
      >
        <ChevronRight size={15} className="query-group-chevron" aria-hidden="true" />
        <span className="query-group-title">{title}</span>{' '}
        <span className="query-group-count">({queries.length})</span>
      </button>
      {!open && (
        <ol className="query-group-summary" aria-label={`${queries.length} queries, folded`}>
          {queries.map((q) => (
            <li key={q.key} className={q.data.is_error ? 'is-error' : undefined}>
              <span className="query-group-n">{indexes.get(q.key)}</span>
              <code className="query-group-sql" title={q.data.sql}>
                {caption(q.data.sql)}
              </code>
              <span className="query-group-rows">{rowsLabel(q)}</span>
            </li>
          ))}
        </ol>
      )}
      <div id={`${id}-b`} className="query-group-body" hidden={!open}>
        {children}
        {open && (
          <button
            type="button"
            className="btn btn-ghost btn-xs query-group-fold"
            onClick={() => {
              // The button goes away with the cards: keep the keyboard on the group's own toggle.
              onToggle(false);
              toggle.current?.focus();
            }}
          >
            <ChevronRight size={13} className="query-group-chevron" aria-hidden="true" />
            Fold the {queries.length} queries
          </button>
        )}
      </div>
    </section>
  );
}
