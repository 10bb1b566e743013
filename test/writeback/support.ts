/** A persisted exception with an approved correction, ready for the write-back worker. */
import { approveAndApply, proposeCorrection } from '../../engine/services/corrections/index.ts';
import { persistRun } from '../../engine/services/exceptions/persist-run.ts';
import type { Bucket } from '../../engine/core/model/types.ts';
import type { SourceDef } from '../../engine/core/rules/types.ts';
import type { Db } from '../../engine/services/store/db.ts';
import type { TargetRules } from '../../connectors/writeback/index.ts';
import { ROLES } from '../bot/harness.ts';
import { shopifySource } from '../connectors/shopify-support.ts';
import { keyResult, runResult } from '../storage/fixtures.ts';

export const SHOP = 'shopify-main';

export function rulesFor(sources: SourceDef[]): TargetRules {
  const statuses = new Map<string, Bucket | 'ignore'>([
    ['available', 'sellable'],
    ['damaged', 'non_sellable'],
    ['on_hand', 'ignore'],
  ]);
  return {
    sources: new Map(sources.map((s) => [s.id, s])),
    statusMaps: new Map(sources.map((s) => [s.id, statuses])),
    mappings: {
      skuAliases: new Map([[SHOP, new Map([['TEE-BLK-M', 'TEE-1']])]]),
      items: new Map(),
      locations: new Map(),
      locationCodes: new Map(),
      compareLevel: 'warehouse',
    },
  };
}

export function shopSource(endpoint: string): SourceDef {
  return shopifySource({ endpoint, locations: { 'gid://shopify/Location/64001': 'WH1' } });
}

export function fileSource(id: string, connector: string, settings = {}): SourceDef {
  return { ...shopifySource({}), id, connector, settings };
}

/** Raises an exception where `system` shows `seen` and the ledger says `seen + delta`. */
export async function approvedCorrection(
  db: Db,
  system: string,
  seen: number,
  delta: number,
  reasonCode = 'PHYSICAL_COUNT',
): Promise<{ exceptionId: number; correctionId: number; key: string }> {
  const result = keyResult({ sku: 'TEE-1', location: 'WH1', source: system, variance: -delta });
  result.evidence!.quantities = { [system]: seen, wms: seen + delta };
  const summary = await persistRun(
    db,
    runResult({ runId: `run-${system}`, asOf: '2026-11-20T10:00:00.000Z', results: [result] }),
    { owners: () => 'ops-east' },
  );
  const exceptionId = summary.opened[0]!;
  const { correction } = await proposeCorrection(db, ROLES, {
    exceptionId,
    actor: { id: 'URES' },
    system,
    deltaQuantity: delta,
    reasonCode,
  });
  const { applied } = await approveAndApply(db, ROLES, {
    correctionId: correction.id,
    actor: { id: 'UAPP1' },
  });
  if (!applied?.applied) throw new Error('correction was not applied in the ledger');
  return { exceptionId, correctionId: correction.id, key: correction.idempotencyKey };
}

/** The resolver proposes the same correction again, as after a write-back that did not take. */
export async function proposeAgain(
  db: Db,
  exceptionId: number,
  system: string,
  delta: number,
): Promise<{ created: boolean; correctionId: number; key: string }> {
  const { correction, created } = await proposeCorrection(db, ROLES, {
    exceptionId,
    actor: { id: 'URES' },
    system,
    deltaQuantity: delta,
    reasonCode: 'PHYSICAL_COUNT',
  });
  return { created, correctionId: correction.id, key: correction.idempotencyKey };
}

export async function auditActions(db: Db, prefix: string): Promise<string[]> {
  const rows = (await db('audit_log').where('action', 'like', `${prefix}%`).orderBy('seq')) as {
    action: string;
  }[];
  return rows.map((r) => r.action);
}
