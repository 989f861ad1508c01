/**
 * Names of the ATT&CK techniques Gumshoe's rules and hunt emit (enterprise matrix, as published on
 * attack.mitre.org), for the STIX attack-patterns and the Navigator comments. An ID missing here is
 * still exported, named by its ID: the reference (source_name mitre-attack, external_id) is what
 * receiving tools key on.
 */
const NAMES: Record<string, string> = {
  T1005: 'Data from Local System',
  T1046: 'Network Service Discovery',
  'T1098.006': 'Additional Container Cluster Roles',
  T1105: 'Ingress Tool Transfer',
  T1190: 'Exploit Public-Facing Application',
  T1204: 'User Execution',
  'T1204.003': 'Malicious Image',
  T1496: 'Resource Hijacking',
  T1499: 'Endpoint Denial of Service',
  T1525: 'Implant Internal Image',
  T1543: 'Create or Modify System Process',
  'T1543.005': 'Container Service',
  T1550: 'Use Alternate Authentication Material',
  'T1550.001': 'Application Access Token',
  'T1552.001': 'Credentials In Files',
  'T1562.001': 'Disable or Modify Tools',
  T1612: 'Build Image on Host',
  T1053: 'Scheduled Task/Job',
  'T1053.007': 'Container Orchestration Job',
  T1036: 'Masquerading',
  'T1036.005': 'Match Legitimate Name or Location',
  T1069: 'Permission Groups Discovery',
  T1070: 'Indicator Removal',
  T1078: 'Valid Accounts',
  'T1078.001': 'Default Accounts',
  T1098: 'Account Manipulation',
  T1133: 'External Remote Services',
  T1136: 'Create Account',
  T1485: 'Data Destruction',
  T1528: 'Steal Application Access Token',
  T1546: 'Event Triggered Execution',
  T1552: 'Unsecured Credentials',
  'T1552.007': 'Container API',
  T1562: 'Impair Defenses',
  T1572: 'Protocol Tunneling',
  T1609: 'Container Administration Command',
  T1610: 'Deploy Container',
  T1611: 'Escape to Host',
  T1613: 'Container and Resource Discovery',
  T1649: 'Steal or Forge Authentication Certificates',
};

/** ATT&CK technique or sub-technique ID: T + 4 digits, optionally . + 3 digits. */
export const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

export const techniqueName = (id: string): string => NAMES[id] ?? id;

/** The technique's page: sub-techniques live under their parent (T1552.007 → /techniques/T1552/007/). */
export function techniqueUrl(id: string): string {
  const [base, sub] = id.split('.');
  return `https://attack.mitre.org/techniques/${base}/${sub ? `${sub}/` : ''}`;
}
