import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { RESOLVERS } from '../../resolvers';
import { authChecker } from '../graphql/auth';
import { DateTimeScalar } from '../../entities/scalars';
import { validateArgument } from '../graphql/validation';

/** Builds the executable schema from the resolver classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    authChecker,
    authMode: 'error',
    // type-graphql insists on a PubSub once any subscription exists; ours (runProgress) bring their
    // own `subscribe` (watching the run row), so topics are never used.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error(
          'Subscriptions here watch runs with their own subscribe function; there are no topics',
        );
      },
    },
  });
}

/** The schema as sorted SDL, so diffs only show real changes. */
export async function printAppSchema(): Promise<string> {
  const schema = await buildAppSchema();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** A developer command's own output (not the service's log). */
const say = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`);

/** `npm run schema` writes schema.graphql; `npm run schema:check` fails when it is stale. */
async function cli(mode: string | undefined): Promise<number> {
  const sdl = await printAppSchema();
  const file = schemaFile();
  if (mode === '--check') {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== sdl) {
      say(process.stderr, 'schema.graphql is stale: run `npm run schema` and commit the result.');
      return 1;
    }
    say(process.stdout, 'schema.graphql is up to date.');
    return 0;
  }
  fs.writeFileSync(file, sdl);
  say(process.stdout, `Wrote ${path.relative(process.cwd(), file)}`);
  return 0;
}

/** schema.graphql sits at the repository root, whether this runs from src/ or dist/src/. */
export function schemaFile(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'schema.graphql');
}

if (require.main === module) {
  cli(process.argv[2]).then(
    (code) => process.exit(code),
    (error) => {
      say(process.stderr, String(error instanceof Error ? error.stack : error));
      process.exit(1);
    },
  );
}
