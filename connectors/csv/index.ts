/** CSV and TSV files (the FileMapping's format says which), mapped by header names. */
import type { Connector } from '../types.ts';
import { prescanSourceFiles, readSourceFiles } from '../shared/read-source.ts';
import { checkFileSettings } from '../shared/settings.ts';

const FORMATS = ['csv', 'tsv'] as const;

export const csvConnector: Connector = {
  id: 'csv',
  displayName: 'CSV / TSV files',
  checkSettings: (source) => checkFileSettings(source, FORMATS),
  read: (ctx, sink) => readSourceFiles(ctx, sink, FORMATS, 'csv'),
  prescan: prescanSourceFiles,
};
