/**
 * Data files of any supported format, for a source that delivers several (the demo's 3PL sends
 * TSV snapshots and a JSON Lines activity feed). Each file is read by its own `format`.
 */
import type { Connector } from '../types.ts';
import { prescanSourceFiles, readSourceFiles } from '../shared/read-source.ts';
import { checkFileSettings } from '../shared/settings.ts';

const FORMATS = ['csv', 'tsv', 'jsonl'] as const;

export const filesConnector: Connector = {
  id: 'files',
  displayName: 'Data files (CSV, TSV, JSON Lines)',
  checkSettings: (source) => checkFileSettings(source, FORMATS),
  read: (ctx, sink) => readSourceFiles(ctx, sink, FORMATS, 'files'),
  prescan: prescanSourceFiles,
};
