/**
 * One instance per database connection, made the first time it is asked: a store asked for per call
 * (`ProductDetailsStore.of(db)`) then prepares its statements once per connection, not once per call.
 * The ledger's own helper, under the name the enquiry's stores use.
 */
export { perConnection as perDatabase } from '../ledger/store/per-connection';
