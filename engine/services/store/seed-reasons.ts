/** The catalogue as a reference table, so reports in SQL can name a correction's reason. */
import type { Knex } from 'knex';
import { REASONS } from '../../core/model/reasons.ts';

export async function seedReasons(db: Knex): Promise<void> {
  const rows = REASONS.map((r) => ({
    code: r.code,
    label: r.label,
    direction: r.direction,
    w19_codes: r.w19.join(','),
    amazon_codes: r.amazon.join(','),
    shopify_reason: r.shopify,
  }));
  await db('correction_reasons').insert(rows).onConflict('code').merge();
}
