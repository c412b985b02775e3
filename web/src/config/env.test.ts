import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env';

describe('parseConfig', () => {
  it('names every missing field', () => {
    expect(() => parseConfig({ apiUrl: 'https://api' })).toThrow(ConfigError);
    expect(() => parseConfig({ apiUrl: 'https://api' })).toThrow(/cognitoEndpoint, region, userPoolId, userPoolClientId/);
  });

  it('drops a trailing slash from URLs', () => {
    const config = parseConfig({
      apiUrl: 'https://api.example/',
      cognitoEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
      region: 'us-east-1',
      userPoolId: 'us-east-1_x',
      userPoolClientId: 'abc',
    });
    expect(config.apiUrl).toBe('https://api.example');
  });
});
