/** JSON Lines files: one object per line, mapped by property names (dotted paths allowed). */
import type { Connector } from '../types.ts';
import { prescanSourceFiles, readSourceFiles } from '../shared/read-source.ts';
import { checkFileSettings } from '../shared/settings.ts';

const FORMATS = ['jsonl'] as const;

export const jsonlConnector: Connector = {
  id: 'jsonl',
  displayName: 'JSON Lines files',
  checkSettings: (source) => checkFileSettings(source, FORMATS),
  read: (ctx, sink) => readSourceFiles(ctx, sink, FORMATS, 'jsonl'),
  prescan: prescanSourceFiles,
};
