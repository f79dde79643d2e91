/**
 * The pair's cluster as the sim keeps it: which node holds the promoted role, which nodes are in
 * standby or maintenance, and where each node's sim DIR is. Rendered into a Pacemaker CIB
 * that the real `crm_mon` reads offline with `CIB_file=`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from '../../sim/lock.js';

export interface ClusterState {
  /** node name -> its sim DIR (absolute). */
  nodes: Record<string, string>;
  /** node holding the promoted role of every DRBD resource. */
  promoted?: string;
  /** DRBD resources the cluster manages (one promotable clone each). */
  resources: string[];
  standby: string[];
  maintenance: string[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function lrm(nodeId: number, rsc: string, rc: number): string {
  const key = '1:1:7:00000000-0000-0000-0000-000000000000';
  return (
    `<lrm_resource id="p_drbd_${esc(rsc)}" class="ocf" provider="linbit" type="drbd">` +
    `<lrm_rsc_op id="p_drbd_${esc(rsc)}_last_0" operation_key="p_drbd_${esc(rsc)}_monitor_0" operation="monitor" crm-debug-origin="sanform-sim" ` +
    `crm_feature_set="3.16.2" transition-key="${key}" transition-magic="0:${rc};${key}" call-id="1" rc-code="${rc}" op-status="0" interval="0" ` +
    `last-rc-change="1" exec-time="1" queue-time="0" op-digest="0"/></lrm_resource>`
  );
}

/** A CIB holding the configuration and a status section that says where each role runs. */
export function renderCib(c: ClusterState): string {
  const names = Object.keys(c.nodes).sort();
  const nodes = names.map((n, i) => {
    const attrs = [c.standby.includes(n) ? 'standby' : '', c.maintenance.includes(n) ? 'maintenance' : ''].filter(Boolean);
    const ia = attrs.length ? `<instance_attributes id="nodes-${i + 1}">${attrs.map((a) => `<nvpair id="nodes-${i + 1}-${a}" name="${a}" value="on"/>`).join('')}</instance_attributes>` : '';
    return `      <node id="${i + 1}" uname="${esc(n)}">${ia}</node>`;
  });
  const clones = c.resources.map(
    (r) =>
      `      <clone id="ms_drbd_${esc(r)}"><meta_attributes id="ms_drbd_${esc(r)}-meta"><nvpair id="ms_drbd_${esc(r)}-p" name="promotable" value="true"/>` +
      `<nvpair id="ms_drbd_${esc(r)}-pm" name="promoted-max" value="1"/></meta_attributes><primitive id="p_drbd_${esc(r)}" class="ocf" provider="linbit" type="drbd">` +
      `<instance_attributes id="p_drbd_${esc(r)}-ia"><nvpair id="p_drbd_${esc(r)}-r" name="drbd_resource" value="${esc(r)}"/></instance_attributes></primitive></clone>`,
  );
  const status = names.map((n, i) => {
    const ops = c.resources.map((r) => lrm(i + 1, r, c.promoted === n ? 8 : 0)).join('');
    return `    <node_state id="${i + 1}" uname="${esc(n)}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${i + 1}"><lrm_resources>${ops}</lrm_resources></lrm></node_state>`;
  });
  return [
    '<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">',
    '  <configuration>',
    '    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/>' +
      '<nvpair id="o2" name="no-quorum-policy" value="ignore"/></cluster_property_set></crm_config>',
    '    <nodes>', ...nodes, '    </nodes>',
    '    <resources>', ...clones, '    </resources>',
    '    <constraints/>',
    '  </configuration>',
    '  <status>', ...status, '  </status>',
    '</cib>',
    '',
  ].join('\n');
}

/** The cluster directory of a sim DIR (shared by both nodes once linked). */
export const clusterDir = (simDir: string): string => join(simDir, 'cluster');

export function readCluster(dir: string): ClusterState | undefined {
  const f = join(dir, 'cluster.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ClusterState) : undefined;
}

/** Changes the cluster state under its lock (crm_mon renders the CIB from it when asked). */
export function updateCluster<T>(dir: string, fn: (c: ClusterState) => T): T {
  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, 'cluster.lock'), () => {
    const c = readCluster(dir) ?? { nodes: {}, resources: [], standby: [], maintenance: [] };
    const out = fn(c);
    writeFileSync(join(dir, `cluster.json.tmp${process.pid}`), JSON.stringify(c, null, 1));
    renameSync(join(dir, `cluster.json.tmp${process.pid}`), join(dir, 'cluster.json'));
    return out;
  });
}
