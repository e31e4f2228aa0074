/**
 * English for a name in running text: "an Inbound Reversal movement", "a PO Stock Return", "an EP PO Stock Return"
 * ("a Inbound Reversal" was what the message builders wrote). One helper for main and renderer.
 */

/** Letters whose spoken name starts with a vowel sound: an EP …, an SO …, an MRP … (an acronym is read letter by letter). */
const VOWEL_SOUND_LETTERS = 'AEFHILMNORSX';

/** `words` with "a" or "an" before it, by the sound of its first word. */
export function withArticle(words: string): string {
  const first = words.trim().split(/\s+/)[0] ?? '';
  const acronym = first.length > 1 && /^[A-Z]+$/.test(first);
  const vowel = acronym ? VOWEL_SOUND_LETTERS.includes(first[0]!) : /^[aeiou]/i.test(first);
  return `${vowel ? 'an' : 'a'} ${words}`;
}

/** A catalog name as words in a sentence: "Inbound Reversal" → "inbound reversal"; acronyms and brands (PO, ExCellar) kept. */
export function inSentence(name: string): string {
  return name.replace(/\b[A-Z][a-z]+\b/g, (w) => w.toLowerCase());
}

/** The first letter capitalised, to start a sentence: "an inbound reversal …" → "An inbound reversal …". */
export function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
