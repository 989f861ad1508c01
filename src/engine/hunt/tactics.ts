/**
 * MITRE ATT&CK tactics of the techniques Gumshoe names (Containers matrix, v15). A technique
 * serves several tactics; the first is the one a storyline step is filed under.
 */
const TACTICS: Record<string, string[]> = {
  T1005: ['collection'],
  T1046: ['discovery'],
  T1053: ['execution', 'persistence', 'privilege-escalation'],
  'T1053.007': ['execution', 'persistence', 'privilege-escalation'],
  T1069: ['discovery'],
  T1070: ['defense-evasion'],
  T1078: ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion'],
  'T1078.001': ['initial-access', 'persistence', 'privilege-escalation', 'defense-evasion'],
  T1098: ['persistence', 'privilege-escalation'],
  'T1098.006': ['persistence', 'privilege-escalation'],
  T1105: ['command-and-control'],
  T1133: ['initial-access', 'persistence'],
  T1136: ['persistence'],
  T1190: ['initial-access'],
  'T1204.003': ['execution'],
  T1485: ['impact'],
  T1496: ['impact'],
  T1499: ['impact'],
  T1525: ['persistence'],
  T1528: ['credential-access'],
  'T1543.005': ['persistence', 'privilege-escalation'],
  T1550: ['defense-evasion', 'lateral-movement'],
  'T1550.001': ['defense-evasion', 'lateral-movement'],
  T1552: ['credential-access'],
  'T1552.001': ['credential-access'],
  'T1552.007': ['credential-access'],
  T1562: ['defense-evasion'],
  'T1562.001': ['defense-evasion'],
  T1572: ['command-and-control'],
  T1609: ['execution'],
  T1610: ['defense-evasion', 'execution'],
  T1611: ['privilege-escalation'],
  T1612: ['defense-evasion'],
  T1613: ['discovery'],
  T1649: ['credential-access'],
};

/** Tactics of a technique (a sub-technique falls back to its parent's); [] when unknown. */
export function tacticsOf(technique: string): string[] {
  return TACTICS[technique] ?? TACTICS[technique.split('.')[0]] ?? [];
}

/** The kill-chain order tactics are told in. */
export const TACTIC_ORDER = [
  'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access',
  'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact',
];

/**
 * Techniques an anomaly's evidence points at, for the storyline: what a first sensitive action
 * of each class usually is. A hint for the analyst, never a detection by itself.
 */
export function techniquesOfSensitive(value: string): string[] {
  const [action, ...rest] = value.split(' ');
  const target = rest.join(' ');
  if (target === 'security tooling') return action === 'read' ? [] : ['T1562.001'];
  if (target === 'secrets') return action === 'read' ? ['T1552.007'] : [];
  if (target === 'service-account tokens') return ['T1528'];
  if (target.startsWith('pods/')) return ['T1609'];
  if (target === 'RBAC') return ['T1098'];
  if (target === 'certificates') return ['T1649'];
  if (target === 'nodes') return ['T1611'];
  if (target === 'admission control' || target === 'API extensions') return ['T1543.005'];
  if (target === 'kube-system' || target === 'kube-public' || target === 'kube-node-lease') return action === 'delete' ? ['T1485'] : ['T1543.005'];
  if (target === 'namespaces') return ['T1485'];
  return [];
}
