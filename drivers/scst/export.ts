/**
 * `sanform export --format scst.conf`: the desired state of one node as an scst.conf. Secrets
 * are written only with `includeSecrets` (resolved from their references); otherwise each CHAP
 * line is a comment naming its secret.
 */
import type { SecretResolver } from '../../reconciler/core/driver.js';
import type { SanformModel } from '../../schema/model.js';
import { writeConf } from './conf/write.js';
import { desired } from './desired.js';
import type { ChapSpec } from './kinds.js';

export async function exportConf(model: SanformModel, o: { node: string; secrets: SecretResolver; includeSecrets?: boolean }): Promise<string> {
  const resources = desired(model, { node: o.node, secrets: o.secrets });
  const values = new Map<string, string>();
  if (o.includeSecrets) {
    for (const r of resources) {
      const name = r.kind === 'scst.chap-user' ? (r.spec as unknown as ChapSpec).secretName : undefined;
      if (name !== undefined && !values.has(name)) values.set(name, (await o.secrets.value(name)).reveal()); // asked for: --include-secrets
    }
  }
  return writeConf(resources, { secret: (n) => values.get(n) });
}
