/**
 * A team's reason, in its own words, read as one of Tally's causes so the two can be compared:
 * a cause code written out ("missing posting", "MISSING_POSTING") or the usual words for it.
 */
const WORDS: [RegExp, string][] = [
  [/shrink|theft|stolen|lost|loss/, 'UNRECORDED_SHRINKAGE'],
  [/not (posted|booked|recorded)|missing (posting|receipt|gr)|unposted|posting/, 'MISSING_POSTING'],
  [/duplicat|double|twice/, 'DUPLICATE_EVENT'],
  [/\buom\b|unit of measure|case|pack size|each vs/, 'UOM_MISMATCH'],
  [/status|damag|quarantine|hold/, 'STATUS_MISMAPPED'],
  [/oversell|oversold/, 'OVERSELL_RISK'],
  [/phantom|ghost|not (there|found)/, 'PHANTOM_STOCK'],
  [/manual|adjust/, 'MANUAL_ADJUSTMENT_WRONG_SYSTEM'],
  [/transit|in flight|on the way/, 'IN_TRANSIT_WINDOW'],
  [/timing|cut-?off|late/, 'LATE_EVENT'],
];

/** The cause a reason names, or null when the words are not recognised. */
export function causeOfReason(reason: string, codes: ReadonlySet<string>): string | null {
  const code = reason
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (codes.has(code)) return code;
  const words = reason.toLowerCase();
  for (const [pattern, cause] of WORDS) if (pattern.test(words)) return cause;
  return null;
}
