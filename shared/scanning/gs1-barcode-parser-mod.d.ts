declare module 'gs1-barcode-parser-mod' {
  export interface ParsedElement {
    ai: string;
    dataTitle: string;
    data: string | number | Date;
    unit: string;
    isoDate: string;
    raw: string;
  }
  export interface ParsedBarcode {
    codeName: string;
    parsedCodeItems: ParsedElement[];
  }
  /** Throws a string describing the problem when the code is not a valid GS1 element string. */
  export function parseBarcode(barcode: string): ParsedBarcode;
}
