import { execSync } from 'child_process';
import path from 'path';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The architecture is held by lint; this proves the rule really runs (on a clean checkout Nx's
 * boundary rule silently skips itself when no project graph has been computed yet).
 */
describe('module boundaries', () => {
  beforeAll(() => {
    execSync('npx nx show projects', { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' } });
  });

  // The CLI, as `npm run lint` runs it (eslint's flat config is ESM, which jest's VM cannot import).
  async function problems(file: string, code: string): Promise<string[]> {
    let out: string;
    try {
      out = execSync(`npx eslint --format json --stdin --stdin-filename ${path.join(ROOT, file)}`, { cwd: ROOT, input: code, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    const [result] = JSON.parse(out) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it('keeps apps away from adapters and SDKs', async () => {
    const found = await problems(
      'apps/detector/src/boundary-probe.ts',
      "import { createFsObjectStore } from '@relabel/local-adapters';\nimport { S3Client } from '@aws-sdk/client-s3';\nexport const x = [createFsObjectStore, S3Client];\n",
    );
    expect(found).toEqual([
      expect.stringContaining('can only depend on libs tagged with "type:contracts", "type:ports", "type:platform"'),
      expect.stringContaining('is not allowed to import "@aws-sdk/client-s3"'),
    ]);
  });

  it('keeps @aws-sdk out of the local adapters and ports', async () => {
    const code = "import { S3Client } from '@aws-sdk/client-s3';\nexport const x = S3Client;\n";
    expect(await problems('libs/shared/local/src/boundary-probe.ts', code)).toHaveLength(1);
    expect(await problems('libs/shared/ports/src/boundary-probe.ts', code)).toHaveLength(1);
    expect(await problems('libs/shared/aws/src/boundary-probe.ts', code)).toHaveLength(0);
  });

  it('lets apps use contracts, ports and platform', async () => {
    const code = "import { QUEUES } from '@relabel/contracts';\nimport type { ObjectStore } from '@relabel/ports';\nimport { loadConfig } from '@relabel/platform';\nexport const x: [unknown, ObjectStore | null, unknown] = [QUEUES, null, loadConfig];\n";
    expect(await problems('apps/trainer/src/boundary-probe.ts', code)).toEqual([]);
  });
});
