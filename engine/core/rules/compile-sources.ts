/** Compiles Sources and StatusMap documents. */
import type { Bucket, Domain, SystemRole } from '../model/types.ts';
import type { FileMapping, ScheduleGroup, SourceDef, StatusMaps } from './types.ts';
import type { FileDoc, Loaded } from './docs.ts';
import { declaredAt } from './declared-at.ts';

export function compileSources(docs: Loaded<'Sources'>[]): Map<string, SourceDef> {
  const out = new Map<string, SourceDef>();
  for (const at of docs) {
    at.doc.sources.forEach((s, i) => {
      out.set(s.id, {
        ...declaredAt(at, ['sources', i]),
        id: s.id,
        connector: s.connector,
        role: s.role as SystemRole,
        owner: s.owner,
        timezone: s.timezone,
        cutoffMinutes: toMinutes(s.cutoff),
        expectedLagMinutes: s.expectedLagMinutes ?? 0,
        ...(s.orderReferences ? { orderReferences: [...s.orderReferences] } : {}),
        systemOfRecord: s.systemOfRecord as Domain[],
        locations: [...s.locations],
        group: s.group,
        files: withDistinctRejects((s.files ?? []).map(toFileMapping)),
        settings: structuredClone(s.settings ?? {}),
      });
    });
  }
  return out;
}

function toFileMapping(f: FileDoc): FileMapping {
  return {
    path: f.path,
    format: f.format,
    kind: f.kind,
    columns: { ...f.columns },
    constants: { ...(f.constants ?? {}) },
    ...(f.statusColumns ? { statusColumns: [...f.statusColumns] } : {}),
    ...(f.typeMap ? { typeMap: { ...f.typeMap } } : {}),
    dateFormat: f.dateFormat ?? 'iso',
    ...(f.limits ? { limits: { ...f.limits } } : {}),
    ...(f.numberFormat ? { numberFormat: f.numberFormat } : {}),
    ...(f.encoding && f.encoding !== 'utf-8' ? { encoding: f.encoding } : {}),
    ...(f.delimiter && f.delimiter !== ',' ? { delimiter: f.delimiter } : {}),
    ...(f.headerLine && f.headerLine > 1 ? { headerLine: f.headerLine } : {}),
    ...(f.footerLines ? { footerLines: f.footerLines } : {}),
    ...(f.signedQuantity ? { signedQuantity: f.signedQuantity } : {}),
  };
}

/**
 * The name of a mapped file's rejects file, before `.rejects.jsonl`: the file's name (its path
 * where rejectsName says so), with `.events` for an events file, so one file read both as
 * positions and as events keeps two. connectors/shared/rejects.ts builds the path with it.
 */
export function rejectsFileName(m: Pick<FileMapping, 'path' | 'kind' | 'rejectsName'>): string {
  return `${m.rejectsName ?? m.path.split('/').pop()}${m.kind === 'events' ? '.events' : ''}`;
}

/**
 * A source's files each get a rejects file of their own: named after the file; after its path
 * when another file of the source has the same name (`east/bin.csv`, `west/bin.csv`); with its
 * role too when the source reads the very file in two roles whose names would meet (opening
 * and positions: `stock.csv.opening`, `stock.csv.positions`). A read's rejects writer starts its
 * file afresh, so a shared one lost the first read's rejects.
 */
function withDistinctRejects(files: FileMapping[]): FileMapping[] {
  const byName = new Map<string, FileMapping[]>();
  for (const f of files) {
    const name = rejectsFileName(f);
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  return files.map((f) => {
    const group = byName.get(rejectsFileName(f))!;
    if (group.length === 1) return f;
    const base = group.some((g) => g.path !== f.path) ? f.path : f.path.split('/').pop()!;
    const inTwoRoles = group.filter((g) => g.path === f.path).length > 1;
    return { ...f, rejectsName: inTwoRoles ? `${base}.${f.kind}` : base };
  });
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function compileSchedules(docs: Loaded<'Sources'>[]): ScheduleGroup[] {
  return docs.flatMap((at) =>
    (at.doc.schedules ?? []).map((s, i) => ({
      ...declaredAt(at, ['schedules', i]),
      group: s.group,
      cron: s.cron,
      timezone: s.timezone ?? 'UTC',
    })),
  );
}

export function compileStatusMaps(docs: Loaded<'StatusMap'>[]): StatusMaps {
  const out: StatusMaps = new Map();
  for (const at of docs) {
    for (const [source, map] of Object.entries(at.doc.statusMaps)) {
      out.set(source, new Map(Object.entries(map) as [string, Bucket | 'ignore'][]));
    }
  }
  return out;
}
