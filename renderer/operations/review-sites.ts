/**
 * Where the reviewed movements happen, in the words the review shows above them: "Site: Main Warehouse" when every
 * movement is at one site, "From Main Warehouse to Kitchen" when stock leaves some sites for others; null without
 * movements. A clerk who posts with Ctrl+Enter twice still sees the site before the second press.
 */
export function reviewSitesText(movements: readonly { siteName: string; qty: number }[]): string | null {
  const names = (keep: (qty: number) => boolean) => [...new Set(movements.filter((m) => keep(m.qty)).map((m) => m.siteName))];
  const all = names(() => true);
  if (all.length === 0) return null;
  if (all.length === 1) return `Site: ${all[0]}`;
  return `From ${names((q) => q < 0).join(', ')} to ${names((q) => q > 0).join(', ')}`;
}
