import {
  cellSelectionFeature,
  columnFilteringFeature,
  columnResizingFeature,
  columnSizingFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type CellSelectionBounds,
  type FilterFn,
  type SortFn,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, Check, Copy, Search, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { copyText } from '../lib/csv';
import { columnRole, formatCell, formatNumber, formatNumberCell, typeKind, typeLabel, type NumberRole } from '../lib/format';
import { toTSV } from '../lib/tsv';
import type { Row } from '../lib/types';
import '../styles/results.css';

export interface Column {
  name: string;
  type?: string;
}

const ROW_HEIGHT = 32;

/** A cell to show: its row (-1: the column) and column; seq changes with every request. */
export interface CellHighlight {
  row: number;
  column?: string;
  seq: number;
}

/** Column width in px from the header and a sample of values. */
function widthFor(col: Column, rows: Row[]): number {
  let chars = Math.max(col.name.length + 2, typeLabel(col.type).length * 0.85);
  for (let i = 0; i < Math.min(rows.length, 60); i++) {
    const v = rows[i][col.name];
    // A number shows with separators: a third more characters at most.
    chars = Math.max(chars, formatCell(v).length * (typeof v === 'number' ? 1.34 : 1));
  }
  return Math.round(Math.min(340, Math.max(72, chars * 7.9 + 34)));
}

function isNumeric(col: Column, rows: Row[]): boolean {
  if (col.type) return typeKind(col.type) === 'number';
  let seen = 0;
  for (const r of rows.slice(0, 50)) {
    const v = r[col.name];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') return false;
    seen++;
  }
  return seen > 0;
}

/** Ascending order of two cells: numbers by value, the rest as text with numbers in it read as numbers. */
const byValue: SortFn<any, Row> = (a, b, id) => {
  const x = a.getValue(id);
  const y = b.getValue(id);
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return collator.compare(formatCell(x), formatCell(y));
};
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A row matches when any cell's text contains the filter, case-insensitively. */
const containsText: FilterFn<any, Row> = (row, id, filter) => {
  const v = row.getValue(id);
  if (v === null || v === undefined) return false;
  return formatCell(v).toLowerCase().includes(String(filter).toLowerCase());
};

const features = tableFeatures({
  columnSizingFeature,
  columnResizingFeature,
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  cellSelectionFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { byValue },
  filterFns: { containsText },
});
const helper = createColumnHelper<typeof features, Row>();

type CopyKind = 'cells' | 'rows' | 'columns';

/**
 * A result table: sort by a header, filter rows, resize columns by their
 * edge, select cells (drag, Shift+click, a row's number) and copy them as
 * TSV. Only the rows in view are in the DOM; the header stays on top and
 * the row numbers on the left.
 */
export function DataTable({
  columns,
  rows,
  maxHeight = 360,
  label,
  showTypes = true,
  highlight,
  toolbar = false,
  scopeNote,
}: {
  columns: Column[];
  rows: Row[];
  maxHeight?: number;
  label: string;
  showTypes?: boolean;
  highlight?: CellHighlight;
  /** Show the filter box and the copy buttons above the table. */
  toolbar?: boolean;
  /** Says which rows sorting and filtering see, when not the whole result. */
  scopeNote?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const layout = useMemo(
    () => columns.map((c) => ({ ...c, width: widthFor(c, rows), numeric: isNumeric(c, rows) })),
    [columns, rows],
  );
  const numeric = useMemo(() => new Set(layout.filter((c) => c.numeric).map((c) => c.name)), [layout]);
  // Years, IDs and codes read as their digits; amounts get separators.
  const roles = useMemo(() => {
    const m = new Map<string, NumberRole>();
    for (const c of layout) if (c.numeric) m.set(c.name, columnRole(c.name, rows.map((r) => r[c.name])));
    return m;
  }, [layout, rows]);
  const defs = useMemo(
    () =>
      helper.columns(
        layout.map((c) =>
          helper.accessor((r: Row) => r[c.name] ?? undefined, {
            id: c.name,
            header: c.name,
            size: c.width,
            minSize: 48,
            maxSize: 1200,
            sortFn: 'byValue',
            sortUndefined: 'last',
            sortDescFirst: c.numeric,
            filterFn: 'containsText',
          }),
        ),
      ),
    [layout],
  );
  const [filter, setFilter] = useState('');
  const table = useTable({
    features,
    columns: defs,
    data: rows,
    globalFilterFn: 'containsText',
    getColumnCanGlobalFilter: () => true,
    columnResizeMode: 'onChange',
    enableSortingRemoval: true,
    state: { globalFilter: filter },
    onGlobalFilterChange: (u) => setFilter((f) => (typeof u === 'function' ? u(f) : u) ?? ''),
  });
  const shown = table.getRowModel().rows;
  const leaf = table.getAllLeafColumns();
  const sizes = leaf.map((c) => c.getSize());
  const indexWidth = Math.max(44, String(rows.length).length * 8 + 24);
  const totalWidth = indexWidth + sizes.reduce((sum, w) => sum + w, 0);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 800, height: maxHeight },
  });
  const items = virtualizer.getVirtualItems();
  const hlRow = highlight?.row ?? -2;
  const hlShown = hlRow >= 0 ? shown.findIndex((r) => r.index === hlRow) : -1;
  useEffect(() => {
    if (hlShown >= 0) virtualizer.scrollToIndex(hlShown, { align: 'center' });
  }, [hlShown, highlight?.seq]);
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  const bounds = table.getCellSelectionBounds();
  const selected = table.getSelectedCellCount();
  const [copied, setCopied] = useState<string | null>(null);
  const copiedTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(copiedTimer.current), []);

  /** The selection as TSV: the cells, the whole rows they are in, or the whole columns (every shown row). */
  function selectionText(kind: CopyKind, b: CellSelectionBounds[]): { text: string; what: string } {
    const names = leaf.map((c) => c.id);
    const parts: string[] = [];
    let nRows = 0;
    let nCols = 0;
    for (const r of b) {
      const rowSlice = kind === 'columns' ? shown : shown.slice(r.minRowIndex, r.maxRowIndex + 1);
      const colSlice = kind === 'rows' ? names : names.slice(r.minColumnIndex, r.maxColumnIndex + 1);
      const cells = rowSlice.map((row) => colSlice.map((n) => row.original[n]));
      // One cell pastes as its value; anything larger carries its column names.
      const single = kind === 'cells' && cells.length === 1 && colSlice.length === 1;
      parts.push(toTSV(cells, single ? undefined : colSlice));
      nRows += rowSlice.length;
      nCols += colSlice.length;
    }
    const what =
      kind === 'rows'
        ? `${formatNumber(nRows)} ${nRows === 1 ? 'row' : 'rows'}`
        : kind === 'columns'
          ? `${formatNumber(nCols)} ${nCols === 1 ? 'column' : 'columns'}`
          : `${formatNumber(selected)} ${selected === 1 ? 'cell' : 'cells'}`;
    return { text: parts.join('\n\n'), what };
  }

  async function copy(kind: CopyKind) {
    if (!bounds.length) return;
    const { text, what } = selectionText(kind, bounds);
    try {
      await copyText(text);
      setCopied(`Copied ${what}`);
    } catch {
      setCopied('The clipboard refused the copy');
    }
    clearTimeout(copiedTimer.current);
    copiedTimer.current = setTimeout(() => setCopied(null), 1800);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target instanceof HTMLInputElement) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && bounds.length) {
      e.preventDefault();
      void copy('cells');
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      table.selectAllCells();
      return;
    }
    if (e.key === 'Escape' && bounds.length) {
      table.resetCellSelection(true);
      return;
    }
    const dir = ({ ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' } as const)[e.key as 'ArrowUp'];
    if (dir && bounds.length) {
      e.preventDefault();
      if (e.shiftKey) table.extendCellSelection(dir);
      else table.moveCellSelection(dir);
      const focused = table.getFocusedCell();
      const at = focused ? shown.findIndex((r) => r.id === focused.row.id) : -1;
      if (at >= 0) virtualizer.scrollToIndex(at);
    }
  }

  /** A click on a row's number selects the whole row; Shift extends from the last one. */
  function selectRow(rowId: string, extend: boolean) {
    const first = leaf[0]?.id;
    const last = leaf[leaf.length - 1]?.id;
    if (!first || !last) return;
    const anchor = extend ? table.store.state.cellSelection.at(-1) : undefined;
    table.selectCellRange({
      anchorRowId: anchor?.anchorRowId ?? rowId,
      anchorColumnId: first,
      focusRowId: rowId,
      focusColumnId: last,
    });
  }

  const filtered = filter.trim() !== '';
  return (
    <div className="data-table-wrap">
      {toolbar && (
        <div className="table-tools">
          <label className="table-filter">
            <Search size={13} aria-hidden="true" />
            <span className="visually-hidden">Filter rows</span>
            <input
              type="search"
              value={filter}
              placeholder="Filter rows"
              onChange={(e) => setFilter(e.target.value)}
              aria-label={`Filter rows of ${label}`}
            />
            {filtered && (
              <button type="button" className="table-filter-clear" aria-label="Clear filter" onClick={() => setFilter('')}>
                <X size={12} aria-hidden="true" />
              </button>
            )}
          </label>
          <span className="table-count muted" aria-live="polite">
            {filtered ? `${formatNumber(shown.length)} of ${formatNumber(rows.length)} rows match` : scopeNote}
          </span>
          <span className="table-copy" role="group" aria-label="Copy the selection">
            {copied && (
              <span className="table-copied" role="status">
                <Check size={13} aria-hidden="true" /> {copied}
              </span>
            )}
            {selected > 0 ? (
              <>
                <button type="button" className="btn btn-ghost btn-xs" onClick={() => void copy('cells')} title="Copy the selected cells as TSV (Ctrl+C)">
                  <Copy size={13} aria-hidden="true" />
                  {selected === 1 ? 'Copy cell' : `Copy ${formatNumber(selected)} cells`}
                </button>
                <button type="button" className="btn btn-ghost btn-xs" onClick={() => void copy('rows')} title="Copy the whole rows of the selection">
                  Rows
                </button>
                <button type="button" className="btn btn-ghost btn-xs" onClick={() => void copy('columns')} title="Copy the whole columns of the selection">
                  Columns
                </button>
              </>
            ) : (
              !copied && <span className="muted table-hint">Select cells to copy</span>
            )}
          </span>
        </div>
      )}
      <div
        ref={scrollRef}
        className="data-table-scroll"
        style={{ maxHeight }}
        tabIndex={0}
        role="region"
        aria-label={label}
        onKeyDown={onKeyDown}
      >
        <table
          className="data-table"
          style={{ width: totalWidth, minWidth: '100%' }}
          aria-rowcount={shown.length + 1}
          aria-multiselectable="true"
        >
          <colgroup>
            <col style={{ width: indexWidth }} />
            {leaf.map((c, i) => (
              <col key={c.id} style={{ width: sizes[i] }} />
            ))}
            {/* Takes the room left when the columns are narrower than the box. */}
            <col />
          </colgroup>
          <thead>
            <tr>
              <th className="row-index" scope="col">
                <span className="visually-hidden">Row</span>#
              </th>
              {table.getHeaderGroups()[0]?.headers.map((h) => {
                const c = layout.find((l) => l.name === h.column.id);
                const sorted = h.column.getIsSorted();
                const resizing = h.column.getIsResizing();
                const lit = hlRow === -1 && highlight?.column === h.column.id;
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={['sortable', numeric.has(h.column.id) ? 'num' : '', lit ? 'cell-highlight' : '', resizing ? 'is-resizing' : '']
                      .filter(Boolean)
                      .join(' ') || undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    title={c?.type ? `${h.column.id} (${c.type})` : h.column.id}
                  >
                    <button
                      type="button"
                      className="th-sort"
                      onClick={h.column.getToggleSortingHandler()}
                      aria-label={`Sort by ${h.column.id}${sorted === 'asc' ? ', sorted ascending' : sorted === 'desc' ? ', sorted descending' : ''}`}
                    >
                      <span className="th-name">
                        {h.column.id}
                        {sorted && (
                          <span className="th-sorted" aria-hidden="true">
                            {sorted === 'asc' ? <ArrowUp size={12} /> : <ArrowDown size={12} />}
                          </span>
                        )}
                      </span>
                      {showTypes && c?.type && <span className={`th-type type-${typeKind(c.type)}`}>{typeLabel(c.type)}</span>}
                    </button>
                    <span
                      className="col-resizer"
                      role="separator"
                      aria-orientation="vertical"
                      aria-label={`Resize ${h.column.id}`}
                      onMouseDown={h.getResizeHandler()}
                      onTouchStart={h.getResizeHandler()}
                      onDoubleClick={() => h.column.resetSize()}
                    />
                  </th>
                );
              })}
              <th aria-hidden="true" className="filler" />
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden="true" className="pad">
                <td colSpan={leaf.length + 2} style={{ height: padTop }} />
              </tr>
            )}
            {items.map((item) => {
              const row = shown[item.index];
              if (!row) return null;
              return (
                <tr key={row.id} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                  <td
                    className="row-index"
                    title="Select this row"
                    onMouseDown={(e) => {
                      e.preventDefault();
                      selectRow(row.id, e.shiftKey);
                    }}
                  >
                    {row.index + 1}
                  </td>
                  {row.getAllCells().map((cell) => {
                    const name = cell.column.id;
                    const v = row.original[name];
                    const num = numeric.has(name);
                    const text = num ? formatNumberCell(v, roles.get(name)) : formatCell(v);
                    const full = formatCell(v);
                    const isNull = v === null || v === undefined;
                    const lit = row.index === hlRow && (!highlight?.column || highlight.column === name);
                    const sel = cell.getIsSelected();
                    return (
                      <td
                        key={cell.id}
                        className={[num ? 'num' : '', isNull ? 'null' : '', lit ? 'cell-highlight' : '', sel ? 'is-selected' : '']
                          .filter(Boolean)
                          .join(' ') || undefined}
                        aria-selected={sel || undefined}
                        aria-current={lit ? 'true' : undefined}
                        title={full.length > 24 || full !== text ? full : undefined}
                        onMouseDown={(e) => {
                          // Keep the table focused for Ctrl+C, and let a drag select rather than mark text.
                          e.preventDefault();
                          scrollRef.current?.focus({ preventScroll: true });
                          cell.getSelectionStartHandler()(e.nativeEvent);
                        }}
                        onMouseEnter={(e) => cell.getSelectionExtendHandler()(e.nativeEvent)}
                      >
                        {text}
                      </td>
                    );
                  })}
                  <td aria-hidden="true" className="filler" />
                </tr>
              );
            })}
            {padBottom > 0 && (
              <tr aria-hidden="true" className="pad">
                <td colSpan={leaf.length + 2} style={{ height: padBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {filtered && shown.length === 0 && <p className="panel-message">No row contains “{filter}”.</p>}
      </div>
    </div>
  );
}
