/** Runtime configuration, read from `config.json` beside the bundle (one build, every stage). */
export type AppConfig = {
  apiUrl: string;
  cognitoEndpoint: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
};

const FIELDS = ['apiUrl', 'cognitoEndpoint', 'region', 'userPoolId', 'userPoolClientId'] as const;

export class ConfigError extends Error {}

/** Checks what `config.json` holds; names every missing or empty field. */
export function parseConfig(raw: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json is not an object');
  const record = raw as Record<string, unknown>;
  const missing = FIELDS.filter((f) => typeof record[f] !== 'string' || record[f] === '');
  if (missing.length > 0) throw new ConfigError(`config.json lacks ${missing.join(', ')}`);
  const config = Object.fromEntries(FIELDS.map((f) => [f, String(record[f]).replace(/\/+$/, '')]));
  return config as AppConfig;
}

export async function loadConfig(url = '/config.json'): Promise<AppConfig> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`cannot read ${url}: HTTP ${response.status}`);
  return parseConfig(await response.json());
}
