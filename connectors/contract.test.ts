/**
 * Every registered connector, checked the same way (STYLE.md 1). Connectors that talk to an
 * outside system are checked without one: an unconfigured source must be reported by
 * checkSettings and refused by read() with a coded error, before any network call.
 */
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TallyError } from '../engine/core/errors.ts';
import type { SourceDef } from '../engine/core/rules/types.ts';
import { CONNECTORS, connectorIds, getConnector } from './registry.ts';
import type { Connector, Sink } from './types.ts';

const CODE = /^[A-Z][A-Z0-9_]*$/;

function unconfigured(connector: string, settings: Record<string, unknown> = {}): SourceDef {
  return {
    file: 'rules/sources.yaml',
    line: 1,
    id: 'contract',
    connector,
    role: 'erp',
    owner: 'ops',
    timezone: 'UTC',
    cutoffMinutes: 0,
    expectedLagMinutes: 0,
    systemOfRecord: [],
    locations: [],
    group: 'default',
    files: [],
    settings,
  };
}

function isConnectorShaped(v: unknown): v is Connector {
  const c = v as Partial<Connector> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.id === 'string' &&
    typeof c.read === 'function' &&
    typeof c.checkSettings === 'function'
  );
}

function silentSink(): Sink & { calls: number } {
  const sink = {
    calls: 0,
    opening: () => void sink.calls++,
    position: () => void sink.calls++,
    event: () => void sink.calls++,
    item: () => void sink.calls++,
    reject: () => void sink.calls++,
  };
  return sink;
}

describe('connector registry', () => {
  it('lists every connector a folder exports, under unique kebab-case ids', async () => {
    const ids = connectorIds();
    expect(new Set(ids).size).toBe(ids.length);
    const folders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'shared')
      .filter((d) => existsSync(new URL(`./${d.name}/index.ts`, import.meta.url)));
    for (const folder of folders) {
      const exported = Object.values(await import(`./${folder.name}/index.ts`));
      // folders such as writeback/ hold services, not connectors; only Connector-shaped exports count
      for (const c of exported.filter(isConnectorShaped)) {
        expect(CONNECTORS, `${folder.name} exports ${c.id}`).toContain(c);
      }
    }
  });

  it('refuses an unknown id with a coded input error', () => {
    expect(() => getConnector('no-such-thing')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CONNECTOR' }),
    );
  });
});

describe.each(CONNECTORS.map((c) => [c.id, c] as const))('connector %s', (id, connector) => {
  it('has a stable id and a display name, and is found by id', () => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(connector.displayName.trim()).not.toBe('');
    expect(getConnector(id)).toBe(connector);
    if (connector.writeBack !== undefined) expect(typeof connector.writeBack).toBe('function');
  });

  it('reports an unconfigured source as a list of problems, without throwing', () => {
    const problems = connector.checkSettings(unconfigured(id));
    expect(Array.isArray(problems)).toBe(true);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(typeof p).toBe('string');
  });

  it('checks settings of the wrong shape without throwing', () => {
    const odd = { endpoint: 42, url: [], query: null, path: {}, connection: true };
    const problems = connector.checkSettings(unconfigured(id, odd));
    expect(Array.isArray(problems)).toBe(true);
  });

  it('refuses to read an unconfigured source with a coded error and delivers nothing', async () => {
    const sink = silentSink();
    const error = await connector
      .read({ source: unconfigured(id), dataDir: '/nonexistent-tally-data' }, sink)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(TallyError);
    expect((error as TallyError).code).toMatch(CODE);
    expect(sink.calls).toBe(0);
  });
});
