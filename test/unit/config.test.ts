import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('config', () => {
  it('defaults to the embedded database under ./.data on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: null, dataDir: path.resolve('./.data') });
  });

  it('reads DATABASE_URL and keeps memory:// as is', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      MOCKFORGE_DATA_DIR: 'memory://',
      PORT: '0',
    });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u@h:5432/db', dataDir: 'memory://', port: 0 });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeNull();
  });

  it.each([
    [{ DATABASE_URL: 'mysql://nope' }, /DATABASE_URL/],
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ MOCKFORGE_MAX_BODY_BYTES: '10' }, /MOCKFORGE_MAX_BODY_BYTES/],
    [{ MOCKFORGE_LOG_SQL: 'maybe' }, /MOCKFORGE_LOG_SQL/],
  ])('fails fast on %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
