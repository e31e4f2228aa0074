import type { CountBin, CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet } from '../counts';
import { method, returns } from './define-method';
import {
  countBinsSchema,
  countCreateSchema,
  countLineRefSchema,
  countListSchema,
  countRemoveCodeSchema,
  countScanSchema,
  countSessionRefSchema,
  countSetCountedManySchema,
  countSetCountedSchema,
  countSetResolutionSchema,
} from './counts.schemas';

/** Stock count sessions: reading needs read:stock, counting create:stock-count, completing/cancelling update:stock-count. */
export const countsMethods = {
  'counts.list': method({
    input: countListSchema,
    result: returns<CountSessionInfo[]>(),
    permission: 'read:stock',
    description: 'List stock count sessions',
  }),
  'counts.get': method({
    input: countSessionRefSchema,
    result: returns<CountSheet>(),
    permission: 'read:stock',
    description: 'Read a stock count sheet',
  }),
  'counts.bins': method({
    input: countBinsSchema,
    result: returns<CountBin[]>(),
    permission: 'read:stock',
    description: 'List the bins of a site',
  }),
  'counts.lineCodes': method({
    input: countLineRefSchema,
    result: returns<CountLineCode[]>(),
    permission: 'read:stock',
    description: 'List the codes scanned on a count line',
  }),
  'counts.lineMovements': method({
    input: countLineRefSchema,
    result: returns<CountMovementSince[]>(),
    permission: 'read:stock',
    description: 'List the movements at a count line since its snapshot',
  }),
  'counts.create': method({
    input: countCreateSchema,
    result: returns<CountSessionInfo>(),
    permission: 'create:stock-count',
    description: 'Create a stock count session',
  }),
  'counts.setCounted': method({
    input: countSetCountedSchema,
    result: returns<CountLine>(),
    permission: 'create:stock-count',
    description: 'Record a counted quantity',
  }),
  'counts.setCountedMany': method({
    input: countSetCountedManySchema,
    result: returns<{ updated: number }>(),
    permission: 'create:stock-count',
    description: 'Record counted quantities in bulk',
  }),
  'counts.setResolution': method({
    input: countSetResolutionSchema,
    result: returns<{ updated: number }>(),
    permission: 'create:stock-count',
    description: 'Choose keep counted or keep difference',
  }),
  'counts.scan': method({
    input: countScanSchema,
    result: returns<CountScanResult>(),
    permission: 'create:stock-count',
    description: 'Record a scanned code in a stock count',
  }),
  'counts.removeCode': method({
    input: countRemoveCodeSchema,
    result: returns<CountLine>(),
    permission: 'create:stock-count',
    description: 'Remove a scanned code from a count line',
  }),
  'counts.complete': method({
    input: countSessionRefSchema,
    result: returns<CountSessionInfo>(),
    permission: 'update:stock-count',
    description: 'Complete a stock count and post its adjustments',
  }),
  'counts.cancel': method({
    input: countSessionRefSchema,
    result: returns<CountSessionInfo>(),
    permission: 'update:stock-count',
    description: 'Cancel a stock count',
  }),
} as const;
