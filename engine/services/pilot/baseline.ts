/**
 * The team's own list of discrepancies (the spreadsheet a pilot is compared with), once read:
 * every data row is either a row here or a problem with its line, never dropped.
 */

/** Fields of a team's list; `variance` or `quantity` must be there, `reason` is optional. */
export const BASELINE_FIELDS = ['sku', 'location', 'variance', 'quantity', 'reason'] as const;
export type BaselineField = (typeof BASELINE_FIELDS)[number];

export type BaselineRow = {
  /** Line (CSV) or sheet row (XLSX) as the person sees it. */
  line: number;
  sku: string;
  location: string;
  /** Units short (negative) or over (positive), as the team wrote it. */
  variance?: number;
  /** The quantity the team wrote, when the list has no variance column. */
  quantity?: number;
  reason?: string;
};

export type BaselineProblem = { file: string; line: number; reason: string };

export type Baseline = {
  file: string;
  /** Header cell used for each field. */
  columns: Partial<Record<BaselineField, string>>;
  rows: BaselineRow[];
  problems: BaselineProblem[];
};

/** The team's figure for a row: its variance, else its quantity. */
export function teamUnits(row: Pick<BaselineRow, 'variance' | 'quantity'>): number | undefined {
  return row.variance ?? row.quantity;
}
