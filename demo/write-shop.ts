/** The shop's files: inventory levels per location (alias SKUs) and fulfillments/restocks. */
import { jsonRow, openLines } from './files.ts';
import type { Sim } from './sim.ts';
import { isoSeconds } from './time.ts';
import type { Views } from './views.ts';
import { shopAlias, stocks } from './world.ts';
import { SHOP_LOCATION } from './words.ts';

export async function writeShop(dir: string, sim: Sim, views: Views) {
  const levels = openLines(dir, 'shop/inventory_levels.jsonl');
  const updatedAt = isoSeconds(sim.asOfMs);
  for (const s of sim.catalog) {
    for (const wh of ['WH-EAST', 'WH-WEST'] as const) {
      if (!stocks(s, wh)) continue;
      const q = (bucket: string) => views.shop.get(`${s.sku}|${wh}|${bucket}`) ?? 0;
      const [available, committed, damaged] = [q('sellable'), q('committed'), q('non_sellable')];
      const base = { inventory_item_id: shopAlias(s.sku), location_id: SHOP_LOCATION[wh] };
      for (const [name, quantity] of [
        ['available', available],
        ['committed', committed],
        ['damaged', damaged],
        ['incoming', q('in_transit')],
        ['on_hand', available + committed + damaged],
      ] as const) {
        levels.line(jsonRow({ ...base, name, quantity, updated_at: updatedAt }));
      }
    }
  }
  await levels.close();
  const file = openLines(dir, 'shop/fulfillments.jsonl');
  let n = 0;
  const recorded = sim.movements.filter((m) => m.shopMs != null && m.shopMs <= sim.asOfMs);
  recorded.sort((a, b) => a.shopMs! - b.shopMs!);
  for (const m of recorded) {
    file.line(
      jsonRow({
        id: `gid://shopify/Fulfillment/${5_000_000 + ++n}`,
        order: m.reference,
        inventory_item_id: shopAlias(m.sku.sku),
        location_id: SHOP_LOCATION[m.warehouse],
        quantity: m.quantity,
        created_at: isoSeconds(m.shopMs!),
        kind: m.type === 'return' ? 'restock' : 'fulfillment',
      }),
    );
  }
  await file.close();
}
