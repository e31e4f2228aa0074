import { MovementKitLines1732400005000 } from '../0050-movement-kit-lines';

/**
 * SQLite migration 0050 on PostgreSQL, the same text: which kit line of a sale each component movement came from
 * (movement_kit_lines), written by the sale's one write statement beside its movements (pg-ops-store.ts).
 */
export class PgMovementKitLines1764700002500 extends MovementKitLines1732400005000 {
  override name = 'PgMovementKitLines1764700002500';
}
