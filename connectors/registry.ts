/**
 * Every connector, listed by hand (STYLE.md 1). A new connector is a folder with an index.ts
 * exporting one Connector, plus one line here; contract.test.ts then checks it like the others.
 */
import { InputError } from '../engine/core/errors.ts';
import { amazonFbaConnector } from './amazon-fba/index.ts';
import { csvConnector } from './csv/index.ts';
import { erpnextConnector } from './erpnext/index.ts';
import { filesConnector } from './files/index.ts';
import { jsonlConnector } from './jsonl/index.ts';
import { shopifyConnector } from './shopify/index.ts';
import { sqlConnector } from './sql/index.ts';
import { x12ThreePlConnector } from './x12-3pl/index.ts';
import type { Connector } from './types.ts';

export const CONNECTORS: readonly Connector[] = [
  csvConnector,
  jsonlConnector,
  filesConnector,
  x12ThreePlConnector,
  sqlConnector,
  shopifyConnector,
  amazonFbaConnector,
  erpnextConnector,
];

export function connectorIds(): string[] {
  return CONNECTORS.map((c) => c.id);
}

export function getConnector(id: string): Connector {
  const found = CONNECTORS.find((c) => c.id === id);
  if (!found) {
    throw new InputError(
      'UNKNOWN_CONNECTOR',
      `no connector '${id}' (known: ${connectorIds().join(', ')})`,
      { file: 'connector' },
    );
  }
  return found;
}
