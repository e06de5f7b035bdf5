/** A cell of a grid (row and column from 0) and which of its controls has the focus (0 when it has one or none). */
export interface GridPosition {
  row: number;
  column: number;
  control: number;
}

/** Rows that PageUp and PageDown move by: four hours of half-hour rows. */
export const PAGE_ROWS = 8;

/**
 * Where `key` moves the focus from `at` in a grid of `rows` × `columns` cells, the keys of the
 * WAI-ARIA data grid: the arrows to the next cell that way (not past an edge, no wrapping), Home
 * and End to the row's first and last cell, with Ctrl to the grid's first and last cell, PageUp and
 * PageDown by PAGE_ROWS rows. A cell with several controls (an appointment's Reschedule and Cancel)
 * is walked with Left and Right before the next cell: `controls(row, column)` says how many
 * controls a cell has (0 when the cell itself takes the focus). Null for a key the grid leaves alone.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/grid/#keyboardinteraction-forlayoutgrids
 */
export function moveInGrid(
  key: string,
  ctrl: boolean,
  at: GridPosition,
  size: { rows: number; columns: number },
  controls: (row: number, column: number) => number,
): GridPosition | null {
  const cell = (row: number, column: number, control = 0): GridPosition => ({
    row: Math.min(Math.max(row, 0), size.rows - 1),
    column: Math.min(Math.max(column, 0), size.columns - 1),
    control,
  });
  const { row, column, control } = at;
  switch (key) {
    case 'ArrowLeft':
      if (control > 0) return { row, column, control: control - 1 };
      return column > 0 ? cell(row, column - 1, Math.max(controls(row, column - 1) - 1, 0)) : at;
    case 'ArrowRight':
      if (control < controls(row, column) - 1) return { row, column, control: control + 1 };
      return column < size.columns - 1 ? cell(row, column + 1) : at;
    case 'ArrowUp':
      return row > 0 ? cell(row - 1, column) : at;
    case 'ArrowDown':
      return row < size.rows - 1 ? cell(row + 1, column) : at;
    case 'PageUp':
      return cell(row - PAGE_ROWS, column);
    case 'PageDown':
      return cell(row + PAGE_ROWS, column);
    case 'Home':
      return ctrl ? cell(0, 0) : cell(row, 0);
    case 'End':
      return ctrl ? cell(size.rows - 1, size.columns - 1) : cell(row, size.columns - 1);
    default:
      return null;
  }
}
