export { closePeriod, type CloseInput, type CloseReport, type CloseTotals } from './close.ts';
export { reopenPeriod, type ReopenInput } from './reopen.ts';
export { verifyClose, type CloseCheck, type CloseVerifyResult } from './verify.ts';
export { checkCloseHeads, type CloseHead } from './heads.ts';
export { periodPositions, type PeriodPosition } from './positions.ts';
export { journalCsv, assertBalanced, type JournalLine } from './journal.ts';
export { readContent, loadRecord, type CloseRecord, type CloseContent } from './store.ts';
export { CloseError, type CloseCode } from './errors.ts';
export { closeCurrency, lineValueMinor } from './minor.ts';
