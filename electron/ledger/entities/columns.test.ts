import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EntityRecord, EntityRow } from './columns';
import { CountLineEntity } from './count.entities';
import type { MovementEntity } from './document.entities';
import { ProductEntity } from './product.entities';

describe('rows typed from the entity definitions', () => {
  it('types a row by column name and a record by camelCase name, nullable where the column is', () => {
    expectTypeOf<EntityRow<typeof MovementEntity>['bin_id']>().toEqualTypeOf<number | null>();
    expectTypeOf<EntityRow<typeof MovementEntity>['oc_freight']>().toEqualTypeOf<number>();
    expectTypeOf<EntityRecord<typeof CountLineEntity>['countedQty']>().toEqualTypeOf<number | null>();
    expectTypeOf<EntityRecord<typeof CountLineEntity>['resolutionChosen']>().toEqualTypeOf<0 | 1>();
    expectTypeOf<EntityRecord<typeof ProductEntity>['sku']>().toEqualTypeOf<string>();
    expectTypeOf<EntityRecord<typeof ProductEntity>['lowStockLevel']>().toEqualTypeOf<number | null>();
    expectTypeOf<EntityRecord<typeof ProductEntity>>().not.toHaveProperty('low_stock_level');
  });

  it('keeps the column options TypeORM reads (types, nullability, defaults)', () => {
    const cols = ProductEntity.options.columns;
    expect(cols.sku).toEqual({ type: 'varchar', length: 64, nullable: false });
    expect(cols.low_stock_level).toEqual({ type: 'bigint', nullable: true });
    expect(cols.stock_keeping).toEqual({ type: 'boolean', default: 1, nullable: false });
    expect(CountLineEntity.options.columns.id).toEqual({ type: 'integer', primary: true, generated: 'increment', nullable: false });
  });
});
