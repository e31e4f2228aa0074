/** Errors cross the process boundary as {code, message, details}; the UI shows message as written. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'NEGATIVE_STOCK',
  'IDEMPOTENCY_CONFLICT',
  'PERMISSION',
  'CONFLICT',
  'CANCELLED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toWire(): WireError {
    return { code: this.code, message: this.message, details: this.details };
  }
  static fromWire(w: WireError): AppError {
    return new AppError(w.code, w.message, w.details);
  }
}

export function isWireError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v;
}
