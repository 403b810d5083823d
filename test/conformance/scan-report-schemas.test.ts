/**
 * Report formats against their schemas with ajv: CycloneDX 1.5 against the official JSON
 * schema shipped in @cyclonedx/cyclonedx-library (with its SPDX-license and JSF schemas);
 * SARIF 2.1.0 and SPDX 2.3 against structural schemas written here from the specifications'
 * required properties (no npm package on the allowed list ships those official schemas).
 * The reports come from a real scan: Trivy's alpine 3.10 image on Trivy's fixture database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv, type AnySchema } from 'ajv';
import addFormats from 'ajv-formats';
import { needConformance } from './helpers.ts';
import { importPath, renderReport, scanTarget, VulnDb } from '../../src/scan/index.ts';

const golden = needConformance('scan', 'trivy-golden');

function cyclonedxSchemas(): AnySchema[] {
  const req = createRequire(import.meta.url);
  const dir = join(
    dirname(req.resolve('@cyclonedx/cyclonedx-library/package.json')),
    'res',
    'schema',
  );
  return ['bom-1.5', 'spdx', 'jsf-0.82'].map((n) => {
    const s = JSON.parse(readFileSync(join(dir, `${n}.SNAPSHOT.schema.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    // The bundled files refer to each other by their SNAPSHOT file names.
    return { ...s, $id: `${n}.SNAPSHOT.schema.json` };
  });
}

const SARIF: AnySchema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string', format: 'uri' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { $ref: '#/$defs/message' },
                        fullDescription: { $ref: '#/$defs/message' },
                        helpUri: { type: 'string', format: 'uri' },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                kind: {
                  enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'],
                },
                message: { $ref: '#/$defs/message' },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        properties: {
                          artifactLocation: {
                            type: 'object',
                            properties: { uri: { type: 'string', format: 'uri-reference' } },
                          },
                          region: {
                            type: 'object',
                            properties: { startLine: { type: 'integer', minimum: 1 } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  $defs: {
    message: {
      type: 'object',
      anyOf: [{ required: ['text'] }, { required: ['markdown'] }, { required: ['id'] }],
    },
  },
};

const SPDX_ID = { type: 'string', pattern: '^SPDXRef-[A-Za-z0-9.-]+$' };
const SPDX: AnySchema = {
  type: 'object',
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string' },
    documentNamespace: { type: 'string', format: 'uri' },
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      properties: {
        created: { type: 'string', format: 'date-time' },
        creators: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(Person|Organization|Tool): ' },
        },
      },
    },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'name', 'downloadLocation'],
        properties: {
          SPDXID: SPDX_ID,
          name: { type: 'string' },
          versionInfo: { type: 'string' },
          downloadLocation: { type: 'string' },
          filesAnalyzed: { type: 'boolean' },
          externalRefs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['referenceCategory', 'referenceType', 'referenceLocator'],
              properties: {
                referenceCategory: {
                  enum: [
                    'SECURITY',
                    'PACKAGE-MANAGER',
                    'PACKAGE_MANAGER',
                    'PERSISTENT-ID',
                    'PERSISTENT_ID',
                    'OTHER',
                  ],
                },
                referenceType: { type: 'string' },
                referenceLocator: { type: 'string', pattern: '^\\S+$' },
              },
            },
          },
        },
      },
    },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['spdxElementId', 'relationshipType', 'relatedSpdxElement'],
        properties: {
          spdxElementId: { anyOf: [SPDX_ID, { const: 'SPDXRef-DOCUMENT' }] },
          relatedSpdxElement: { type: 'string' },
          relationshipType: { type: 'string', pattern: '^[A-Z_]+$' },
        },
      },
    },
  },
};

function ajv(): Ajv {
  const a = new Ajv({ strict: false, allErrors: true });
  addFormats.default(a);
  // Formats of CycloneDX's schema that ajv-formats lacks: checked loosely (no whitespace).
  a.addFormat('iri-reference', /^\S*$/u);
  a.addFormat('idn-email', /^\S+@\S+$/u);
  return a;
}

test(
  'reports validate: CycloneDX 1.5 (official schema), SARIF 2.1.0 and SPDX 2.3 (structural)',
  { skip: golden.skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-schemas-'));
    const db = new VulnDb(join(dir, 'v.sqlite'));
    try {
      importPath(db, join(golden.path, 'db'));
      const result = await scanTarget(
        'image',
        join(golden.path, 'images', 'integration-alpine-310.tar.gz'),
        db,
      );
      assert.ok(result.findings.length > 0 && result.inventory.packages.length > 0);
      const a = ajv();
      for (const s of cyclonedxSchemas()) a.addSchema(s);
      const checks: [string, ReturnType<Ajv['compile']>][] = [
        ['cyclonedx', a.getSchema('bom-1.5.SNAPSHOT.schema.json')!],
        ['sarif', ajv().compile(SARIF)],
        ['spdx-json', ajv().compile(SPDX)],
      ];
      for (const [format, validate] of checks) {
        const doc = JSON.parse(renderReport(format as never, result, [])) as Record<
          string,
          unknown
        >;
        const ok = validate(doc);
        assert.ok(ok, `${format}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
        // The schemas must be able to fail: a broken copy is rejected.
        const broken = {
          ...doc,
          ...(format === 'cyclonedx'
            ? { bomFormat: 'SPDX', components: 'none' }
            : format === 'sarif'
              ? { version: '2.0' }
              : { spdxVersion: 'SPDX-2.2' }),
        };
        assert.equal(validate(broken), false, `${format}: broken document accepted`);
        console.log(`# ${format}: valid`);
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
