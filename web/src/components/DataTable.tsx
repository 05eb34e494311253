import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { formatCell, formatNumberCell, typeKind, typeLabel } from '../lib/format';
import type { Row } from '../lib/types';

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
  let chars = Math.max(col.name.length, typeLabel(col.type).length * 0.85);
  for (let i = 0; i < Math.min(rows.length, 60); i++) {
    chars = Math.max(chars, formatCell(rows[i][col.name]).length);
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

/**
 * A scrollable table of any number of rows: only the rows in view are in
 * the DOM. The header stays on top and the row numbers on the left.
 */
export function DataTable({
  columns,
  rows,
  maxHeight = 360,
  label,
  showTypes = true,
  highlight,
}: {
  columns: Column[];
  rows: Row[];
  maxHeight?: number;
  label: string;
  showTypes?: boolean;
  highlight?: CellHighlight;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const layout = useMemo(
    () => columns.map((c) => ({ ...c, width: widthFor(c, rows), numeric: isNumeric(c, rows) })),
    [columns, rows],
  );
  const indexWidth = Math.max(44, String(rows.length).length * 8 + 24);
  const totalWidth = indexWidth + layout.reduce((sum, c) => sum + c.width, 0);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 800, height: maxHeight },
  });
  const items = virtualizer.getVirtualItems();
  const hlRow = highlight?.row ?? -2;
  useEffect(() => {
    if (hlRow >= 0 && hlRow < rows.length) virtualizer.scrollToIndex(hlRow, { align: 'center' });
  }, [hlRow, highlight?.seq, rows.length]);
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <div
      ref={scrollRef}
      className="data-table-scroll"
      style={{ maxHeight }}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <table className="data-table" style={{ width: totalWidth, minWidth: '100%' }} aria-rowcount={rows.length + 1}>
        <colgroup>
          <col style={{ width: indexWidth }} />
          {layout.map((c) => (
            <col key={c.name} style={{ width: c.width }} />
          ))}
          {/* Takes the room left when the columns are narrower than the box. */}
          <col />
        </colgroup>
        <thead>
          <tr>
            <th className="row-index" scope="col">
              <span className="visually-hidden">Row</span>#
            </th>
            {layout.map((c) => (
              <th
                key={c.name}
                scope="col"
                className={`${c.numeric ? 'num' : ''}${hlRow === -1 && highlight?.column === c.name ? ' cell-highlight' : ''}` || undefined}
                title={c.type ? `${c.name} (${c.type})` : c.name}>
                <span className="th-name">{c.name}</span>
                {showTypes && c.type && <span className={`th-type type-${typeKind(c.type)}`}>{typeLabel(c.type)}</span>}
              </th>
            ))}
            <th aria-hidden="true" className="filler" />
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="pad">
              <td colSpan={layout.length + 2} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <tr key={item.key} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                <td className="row-index">{item.index + 1}</td>
                {layout.map((c) => {
                  const v = row[c.name];
                  const text = c.numeric ? formatNumberCell(v) : formatCell(v);
                  const full = formatCell(v);
                  const isNull = v === null || v === undefined;
                  const lit = item.index === hlRow && (!highlight?.column || highlight.column === c.name);
                  return (
                    <td
                      key={c.name}
                      className={`${c.numeric ? 'num' : ''}${isNull ? ' null' : ''}${lit ? ' cell-highlight' : ''}`}
                      aria-current={lit ? 'true' : undefined} title={full.length > 24 || full !== text ? full : undefined}>
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
              <td colSpan={layout.length + 2} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
