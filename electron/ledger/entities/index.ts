import { DocumentEntity, MovementEntity } from './document.entities';
import { BinEntity, SiteEntity } from './place.entities';
import { ProductBarcodeEntity, ProductEntity, ProductGroupEntity, RecipeComponentEntity } from './product.entities';
import { BatchEntity, CostStateEntity, SerialUnitEntity, StockLevelEntity } from './stock.entities';
import { UserEntity } from './user.entity';

/** Every entity, listed explicitly (never globs). */
export const ENTITIES = [
  UserEntity,
  ProductGroupEntity,
  ProductEntity,
  ProductBarcodeEntity,
  RecipeComponentEntity,
  SiteEntity,
  BinEntity,
  BatchEntity,
  SerialUnitEntity,
  DocumentEntity,
  MovementEntity,
  StockLevelEntity,
  CostStateEntity,
];
