import { z } from 'zod';

/**
 * A one-line text as every screen shows it: each run of spaces, tabs and line breaks is one space, the ends trimmed
 * ("Château Lafleur\t2019  Bordeaux " → "Château Lafleur 2019 Bordeaux"). A page shows any run of white space as one
 * space, so a name stored with the run would read the same on screen while a search for what the screen shows missed it.
 */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A string field holding one line of text (names, references), made one line (oneLine) before its checks. */
export const oneLineString = () => z.string().overwrite(oneLine);
