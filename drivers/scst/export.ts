/**
 * `sanform export --format scst.conf`: the desired state of one node as an scst.conf. Secrets
 * are written only with `includeSecrets` (resolved from their references); otherwise each CHAP
 * line is a comment naming its secret. Identifiers derived from setup_id are written out (see
 * keepIdentities), so a migration through the export keeps every LUN's identity.
 */
import type { SecretResolver } from '../../reconciler/core/driver.js';
import type { SanformModel } from '../../schema/model.js';
import type { Resource } from '../../reconciler/core/resource.js';
import { writeConf } from './conf/write.js';
import { desired } from './desired.js';
import { generatedIdentifiers } from './identifiers.js';
import type { AttrMap, ChapSpec } from './kinds.js';

const VDISK = new Set(['vdisk_fileio', 'vdisk_blockio', 'vdisk_nullio', 'vcdrom']);

/**
 * Writes out the identifiers a vdisk device has when sanform creates it (setup_id first, then the
 * device) wherever the file leaves them generated. scstadmin -config opens the devices before it
 * writes setup_id, so on a fresh machine the defaults would come from setup_id 0 and every LUN
 * would show initiators a new t10_dev_id and serial number.
 */
function keepIdentities(resources: Resource[]): void {
  const core = resources.find((r) => r.kind === 'scst.core')?.spec as { attributes?: AttrMap } | undefined;
  const setupId = Number(core?.attributes?.setup_id ?? 0);
  for (const r of resources) {
    const spec = r.spec as { handler?: string; attributes?: AttrMap };
    if (r.kind !== 'scst.device' || !spec.handler || !VDISK.has(spec.handler) || !spec.attributes) continue;
    const gen = generatedIdentifiers(r.address.slice('scst/device/'.length), setupId, spec.handler);
    // vdisk_dev_create copies the generated t10_dev_id into vend_specific_id before any parameter
    for (const k of ['t10_dev_id', 'usn', 'vend_specific_id'] as const) spec.attributes[k] ??= gen[k];
  }
}

export async function exportConf(model: SanformModel, o: { node: string; secrets: SecretResolver; includeSecrets?: boolean }): Promise<string> {
  const resources = desired(model, { node: o.node, secrets: o.secrets });
  keepIdentities(resources);
  const values = new Map<string, string>();
  if (o.includeSecrets) {
    for (const r of resources) {
      const name = r.kind === 'scst.chap-user' ? (r.spec as unknown as ChapSpec).secretName : undefined;
      if (name !== undefined && !values.has(name)) values.set(name, (await o.secrets.value(name)).reveal()); // asked for: --include-secrets
    }
  }
  return writeConf(resources, { secret: (n) => values.get(n) });
}
