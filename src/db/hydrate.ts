import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';

/** Turns one raw row into an entity, applying TypeORM's type conversion and column transformers. */
export function hydrate<T extends ObjectLiteral>(
  dataSource: DataSource,
  meta: EntityMetadata,
  row: ObjectLiteral,
): T {
  const entity = meta.create() as T;
  for (const column of meta.columns) {
    const value = dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    column.setEntityValue(entity, value);
  }
  return entity;
}
