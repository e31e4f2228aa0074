import { CountLineCodeEntity, CountLineEntity, CountSessionEntity } from './count.entities';
import { DocumentEntity, MovementEntity } from './document.entities';
import { DashboardDayProductEntity, DashboardDayTypeEntity, DashboardStateEntity, StockSnapshotEntity, StockSnapshotStateEntity } from './enquiry.entities';
import { AdjustmentDraftEntity, AdjustmentDraftLineEntity, ImportFileEntity, ImportPostingChunkEntity, ImportPostingEntity, MovementKitLineEntity, OperationDocumentEntity, OperationRequestEntity, OperationValueCreditEntity } from './operations.entities';
import { BinEntity, SiteEntity } from './place.entities';
import { POSTING_ENTITIES } from './posting.entities';
import { ProductBarcodeEntity, ProductEntity, ProductGroupEntity, ProductSiteEntity } from './product.entities';
import { RecipeVersionComponentEntity, RecipeVersionEntity } from './recipe.entities';
import { BatchEntity, CostStateEntity, SerialUnitEntity, StockLevelEntity } from './stock.entities';
import { SAFETY_ENTITIES } from './safety.entities';
import { SUPPLIER_ENTITIES } from './supplier.entities';
import { UserEntity } from './user.entity';

/** Every entity, listed explicitly (never globs). */
export const ENTITIES = [
  UserEntity,
  ProductGroupEntity,
  ProductEntity,
  ProductBarcodeEntity,
  ProductSiteEntity,
  RecipeVersionEntity,
  RecipeVersionComponentEntity,
  SiteEntity,
  BinEntity,
  BatchEntity,
  SerialUnitEntity,
  DocumentEntity,
  MovementEntity,
  StockLevelEntity,
  CostStateEntity,
  StockSnapshotEntity,
  StockSnapshotStateEntity,
  DashboardDayTypeEntity,
  DashboardDayProductEntity,
  DashboardStateEntity,
  OperationDocumentEntity,
  OperationValueCreditEntity,
  MovementKitLineEntity,
  OperationRequestEntity,
  ImportFileEntity,
  ImportPostingEntity,
  ImportPostingChunkEntity,
  AdjustmentDraftEntity,
  AdjustmentDraftLineEntity,
  CountSessionEntity,
  CountLineEntity,
  CountLineCodeEntity,
  ...POSTING_ENTITIES,
  ...SAFETY_ENTITIES,
  ...SUPPLIER_ENTITIES,
];
