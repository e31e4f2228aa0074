/**
 * The demo catalog: product groups, sites and products of a hospitality and wine-trade business
 * (a central warehouse, a bonded cellar, a bar and a kitchen). Pure planning, no database access.
 */
import type { StockType, TrackingMode } from '../../shared/domain';
import { ean13, pad, type Rng } from './demo-random';

/** Site slots of the demo (index into the generator's site tables). EXT is the External pseudo-site. */
export const WH1 = 0;
export const WH2 = 1;
export const BAR = 2;
export const KIT = 3;
export const EXT = 4;
export const STOCK_SITES = [WH1, WH2, BAR, KIT] as const;

export const DEMO_SITES = [
  { code: 'WH1', name: 'Central Warehouse', kind: 'warehouse' as const },
  { code: 'BOND', name: 'Bonded Cellar', kind: 'warehouse' as const },
  { code: 'BAR', name: 'The Cellar Bar', kind: 'shop' as const },
  { code: 'KITCHEN', name: 'Kitchen', kind: 'shop' as const },
];

/** Bin codes per site: warehouses by aisle-bay-level ("A-01-03"), the outlets by area. */
export function demoBins(site: number): { code: string; name: string }[] {
  const racks = (aisles: string, bays: number, levels: number, label: string) => {
    const out: { code: string; name: string }[] = [];
    for (const a of aisles) {
      for (let b = 1; b <= bays; b++) {
        for (let l = 1; l <= levels; l++) out.push({ code: `${a}-${pad(b, 2)}-${pad(l, 2)}`, name: `${label} aisle ${a}, bay ${b}, level ${l}` });
      }
    }
    return out;
  };
  if (site === WH1) return racks('ABCD', 3, 3, 'Rack'); // 36 bins
  if (site === WH2) return racks('BCE', 4, 2, 'Bond'); // 24 bins
  if (site === BAR) return [{ code: 'BACK-BAR', name: 'Back bar' }, { code: 'CELLAR', name: 'Beer cellar' }, { code: 'FRIDGE', name: 'Bottle fridges' }];
  return [{ code: 'DRY-STORE', name: 'Dry store' }, { code: 'WALK-IN', name: 'Walk-in chiller' }, { code: 'FREEZER', name: 'Freezer' }];
}

export const DEMO_GROUPS = [
  { code: 'WINE', name: 'Wine', postOnCosts: true },
  { code: 'SPIRITS', name: 'Spirits & liqueurs', postOnCosts: true },
  { code: 'BEER', name: 'Beer, cider & kegs', postOnCosts: true },
  { code: 'SOFT', name: 'Soft drinks & mixers', postOnCosts: false },
  { code: 'FOOD', name: 'Food', postOnCosts: false },
  { code: 'PREP', name: 'Kitchen & bar preparations', postOnCosts: false },
  { code: 'GIFTS', name: 'Hampers & gift sets', postOnCosts: true },
  { code: 'MENU', name: 'Menu items', postOnCosts: false },
  { code: 'CONSUMABLES', name: 'Consumables', postOnCosts: false },
  { code: 'PACKAGING', name: 'Packaging', postOnCosts: false },
  { code: 'SERVICES', name: 'Services & vouchers', postOnCosts: false },
] as const;

export type Category =
  | 'wine' | 'spirits' | 'beer' | 'kegs' | 'soft' | 'food' | 'consumables' | 'packaging'
  | 'preparation' | 'made' | 'recipe' | 'other';

/**
 * Where a Supplied product is bought: the warehouse (drinks and food: stock_receipt; sundries: inbound),
 * the bonded cellar (ExCellar, or en-primeur), or delivered straight to an outlet (supplier_order).
 */
export type Route = 'wh1' | 'sundry' | 'bond' | 'ep' | 'bar' | 'kitchen' | 'none';

export interface PlannedProduct {
  idx: number;
  sku: string;
  name: string;
  unit: 'ea' | 'kg' | 'l';
  scale: 0 | 3;
  stockType: StockType;
  tracking: TrackingMode;
  category: Category;
  group: string;
  barcodes: string[];
  attributes: Record<string, string>;
  route: Route;
  /** Sites (slots) where the product is normally kept. */
  homes: number[];
  /** Purchase cost per product unit (each, kg or l) in 1/10000 GBP. */
  cost: number;
  /** Excise duty per product unit in 1/10000 GBP (0: none). */
  excise: number;
  /** Purchase multiple in base units. */
  pack: number;
  /** Typical quantities of one outbound line at a warehouse, in base units. */
  saleQtys: number[];
  /** LOT products: shelf life in days, [min, max]. */
  shelfLife: [number, number] | null;
  popularity: number;
  /** Recipe: per recipe unit; Made: per unit made; Preparation: per batch of `yieldQty`. Base units. */
  components: { idx: number; qty: number }[];
  /** Preparation: base units per batch; Made: 1. */
  yieldQty: number;
  /** Recipe and Preparation: the outlet (slot) where it is made or sold. */
  outlet: number;
}

// ----------------------------------------------------------------------------------------------
// Word lists
// ----------------------------------------------------------------------------------------------

const FINE_WINES = [
  'Château Margaux', 'Château Latour', 'Château Lafite Rothschild', 'Château Mouton Rothschild', 'Château Haut-Brion',
  'Château Palmer', 'Château Léoville Las Cases', 'Château Cheval Blanc', 'Château Pichon Baron', 'Château Lynch-Bages',
  'Château Pontet-Canet', 'Château Ducru-Beaucaillou', "Château Cos d'Estournel", 'Château Figeac', 'Château Angélus',
  'Domaine Leflaive Puligny-Montrachet', 'Armand Rousseau Gevrey-Chambertin', 'Comte Georges de Vogüé Chambolle-Musigny',
  'Domaine Dujac Morey-Saint-Denis', 'Tenuta San Guido Sassicaia', 'Antinori Tignanello', 'Gaja Barbaresco',
  'Giacomo Conterno Barolo Francia', 'Penfolds Grange', 'Opus One', 'Vega Sicilia Único', 'Ridge Monte Bello',
  'Dom Pérignon', 'Louis Roederer Cristal', 'Bollinger La Grande Année',
];

const WINES: [string, string[]][] = [
  ['Louis Jadot', ['Chablis', 'Mâcon-Villages', 'Bourgogne Pinot Noir', 'Beaujolais-Villages', 'Pouilly-Fuissé']],
  ['Joseph Drouhin', ['Chablis', 'Côte de Beaune', 'Bourgogne Chardonnay']],
  ['E. Guigal', ['Côtes du Rhône Rouge', 'Côtes du Rhône Blanc', 'Crozes-Hermitage', 'Châteauneuf-du-Pape']],
  ['M. Chapoutier', ['Belleruche Côtes du Rhône', 'Crozes-Hermitage Les Meysonniers', 'Saint-Joseph Deschants']],
  ['Marqués de Riscal', ['Rioja Reserva', 'Rueda Verdejo', 'Rioja Gran Reserva']],
  ['CVNE', ['Rioja Crianza', 'Viña Real Reserva', 'Monopole Blanco']],
  ['Bodegas Muga', ['Rioja Reserva', 'Rioja Rosado']],
  ['Torres', ['Viña Sol', 'Sangre de Toro', 'Celeste Crianza']],
  ['Antinori', ['Chianti Classico Peppoli', 'Villa Antinori Rosso', 'Santa Cristina Rosso']],
  ['Frescobaldi', ['Nipozzano Chianti Rufina Riserva', 'Pomino Bianco']],
  ['Cloudy Bay', ['Sauvignon Blanc', 'Pinot Noir', 'Chardonnay']],
  ['Villa Maria', ['Private Bin Sauvignon Blanc', 'Private Bin Pinot Noir']],
  ['Catena', ['Malbec', 'Chardonnay', 'Alamos Malbec']],
  ['Concha y Toro', ['Casillero del Diablo Cabernet Sauvignon', 'Casillero del Diablo Merlot']],
  ['Errázuriz', ['Max Reserva Cabernet Sauvignon', 'Aconcagua Costa Sauvignon Blanc']],
  ['Wolf Blass', ['Yellow Label Shiraz', 'Yellow Label Chardonnay']],
  ['Penfolds', ['Koonunga Hill Shiraz', 'Bin 28 Shiraz', "Max's Chardonnay"]],
  ['Trimbach', ['Riesling', 'Gewurztraminer', 'Pinot Blanc']],
  ['Dr. Loosen', ['Blue Slate Riesling Kabinett', 'Dr. L Riesling']],
  ['Henri Bourgeois', ['Sancerre Les Baronnes', 'Pouilly-Fumé En Travertin']],
  ["Château d'Esclans", ['Whispering Angel Rosé', 'Rock Angel Rosé']],
  ['Domaines Ott', ['Château de Selle Rosé']],
  ['Bollinger', ['Special Cuvée Brut NV', 'Rosé Brut NV']],
  ['Pol Roger', ['Brut Réserve NV']],
  ['Taittinger', ['Brut Réserve NV', 'Prestige Rosé NV']],
  ['Laurent-Perrier', ['La Cuvée Brut NV', 'Cuvée Rosé NV']],
  ['Veuve Clicquot', ['Yellow Label Brut NV']],
  ['Moët & Chandon', ['Brut Impérial NV']],
  ['Nyetimber', ['Classic Cuvée NV', 'Rosé NV']],
  ['Chapel Down', ['Brut NV', 'Bacchus']],
  ['Gusbourne', ['Brut Reserve', 'Blanc de Blancs']],
  ['Mionetto', ['Prosecco DOC Treviso Brut NV']],
  ['Ridge', ['Lytton Springs Zinfandel', 'Geyserville']],
  ['Robert Mondavi', ['Napa Valley Cabernet Sauvignon', 'Fumé Blanc']],
  ['Kanonkop', ['Kadette Pinotage', 'Pinotage']],
  ['Pazo de Señorans', ['Albariño']],
  ['Félines Jourdan', ['Picpoul de Pinet']],
];
const SPARKLING = /Brut|Prosecco|Cuvée|Blanc de Blancs|NV/;
const WHITE = /Chablis|Chardonnay|Sauvignon|Riesling|Gewurz|Blanc|Bianco|Verdejo|Viña Sol|Albariño|Picpoul|Pouilly|Sancerre|Mâcon|Bacchus|Fumé/;

const SPIRITS: [string, string, number, number][] = [
  ["Gordon's London Dry Gin", 'gin', 37.5, 14], ['Tanqueray London Dry Gin', 'gin', 43.1, 20], ["Hendrick's Gin", 'gin', 41.4, 28],
  ['Bombay Sapphire', 'gin', 40, 20], ['Sipsmith London Dry Gin', 'gin', 41.6, 27], ['Plymouth Gin', 'gin', 41.2, 25],
  ['Monkey 47 Schwarzwald Dry Gin', 'gin', 47, 38], ['The Botanist Islay Dry Gin', 'gin', 46, 30],
  ['Smirnoff Red Label', 'vodka', 37.5, 13], ['Grey Goose', 'vodka', 40, 32], ['Belvedere', 'vodka', 40, 30], ['Absolut Blue', 'vodka', 40, 15],
  ['Ketel One', 'vodka', 40, 22], ['Bacardi Carta Blanca', 'rum', 37.5, 15], ['Havana Club 3 Year Old', 'rum', 40, 18],
  ['Diplomático Reserva Exclusiva', 'rum', 40, 35], ['Kraken Black Spiced', 'rum', 40, 24], ['Appleton Estate Signature', 'rum', 40, 22],
  ['Plantation Original Dark', 'rum', 40, 20], ['Johnnie Walker Black Label', 'whisky', 40, 28], ['Glenfiddich 12 Year Old', 'whisky', 40, 33],
  ['The Macallan 12 Year Old Double Cask', 'whisky', 40, 55], ['Lagavulin 16 Year Old', 'whisky', 43, 62], ['Laphroaig 10 Year Old', 'whisky', 40, 38],
  ['Talisker 10 Year Old', 'whisky', 45.8, 36], ['Monkey Shoulder', 'whisky', 40, 27], ['Jameson Irish Whiskey', 'whiskey', 40, 20],
  ["Jack Daniel's Old No. 7", 'whiskey', 40, 24], ["Maker's Mark", 'bourbon', 45, 27], ['Woodford Reserve', 'bourbon', 43.2, 33],
  ['Buffalo Trace', 'bourbon', 40, 29], ['Bulleit Rye', 'rye', 45, 30], ['Patrón Silver', 'tequila', 40, 42], ['Don Julio Blanco', 'tequila', 38, 40],
  ['Olmeca Altos Plata', 'tequila', 38, 24], ['Del Maguey Vida Mezcal', 'mezcal', 42, 38], ['Campari', 'aperitif', 25, 18], ['Aperol', 'aperitif', 11, 14],
  ['Martini Rosso', 'vermouth', 15, 9], ['Noilly Prat Original Dry', 'vermouth', 18, 12], ['Cointreau', 'liqueur', 40, 22], ['Kahlúa', 'liqueur', 16, 17],
  ['Baileys Original Irish Cream', 'liqueur', 17, 15], ['Disaronno', 'liqueur', 28, 20], ['Chambord', 'liqueur', 16.5, 20],
  ['St-Germain Elderflower', 'liqueur', 20, 27], ["Pimm's No. 1", 'liqueur', 25, 15], ['Hennessy VS', 'cognac', 40, 33],
  ['Rémy Martin VSOP', 'cognac', 40, 42], ['Courvoisier VS', 'cognac', 40, 30], ['Martell VS', 'cognac', 40, 30],
];
const SPIRIT_EDITIONS = ['Navy Strength', 'Cask Strength', 'Small Batch', 'Reserve', 'Barrel Aged', 'Limited Edition', 'Special Release', 'Old Tom'];
const RARE_SPIRITS: [string, number][] = [
  ['The Macallan 18 Year Old Sherry Oak', 320], ['The Macallan 25 Year Old', 1900], ['Glenfarclas 25 Year Old', 180], ['Hibiki 21 Year Old', 850],
  ['Yamazaki 18 Year Old', 700], ['The Dalmore 25 Year Old', 1100], ['Springbank 21 Year Old', 600], ['Bowmore 25 Year Old', 420],
  ['Highland Park 30 Year Old', 950], ['Rémy Martin Louis XIII', 3200], ['Hennessy Paradis', 1050], ['Clase Azul Ultra', 1500],
  ['Pappy Van Winkle 15 Year Old', 1300], ['Port Ellen 9 Rogue Casks', 2800],
];

const BEERS: [string, string[]][] = [
  ['Camden Town', ['Hells Lager', 'Pale Ale', 'Off Menu IPA']], ['BrewDog', ['Punk IPA', 'Lost Lager', 'Hazy Jane']],
  ['Beavertown', ['Neck Oil', 'Gamma Ray', 'Lupuloid']], ["Fuller's", ['London Pride', 'ESB', 'Frontier Lager']],
  ['Thornbridge', ['Jaipur IPA', 'Lukas Helles']], ['Meantime', ['London Lager', 'Yakima Red']], ['Guinness', ['Draught Stout', 'Foreign Extra Stout']],
  ['Peroni', ['Nastro Azzurro']], ['Asahi', ['Super Dry']], ['Estrella Damm', ['Lager']], ['Adnams', ['Ghost Ship', 'Southwold Bitter']],
  ['St Austell', ['Tribute', 'Proper Job']], ["Timothy Taylor's", ['Landlord']], ['Sierra Nevada', ['Pale Ale']], ['Brooklyn', ['Lager']],
  ['Cloudwater', ['Helles', 'DIPA']], ['Five Points', ['Pale', 'Railway Porter']], ["Harvey's", ['Sussex Best Bitter']],
  ['Lucky Saint', ['Unfiltered Lager 0.5%']], ['Aspall', ['Draught Suffolk Cyder']], ['Thatchers', ['Gold', 'Haze']], ['Westons', ['Old Rosie']],
];
const BEER_FORMATS: [string, number][] = [['330ml bottle', 0.33], ['440ml can', 0.44], ['500ml bottle', 0.5], ['330ml can', 0.33], ['275ml bottle', 0.275]];
const GAS = ['CO2 cylinder 6.35kg', 'Mixed gas 30/70 cylinder 6.35kg', 'Nitrogen cylinder 3.2kg', 'Beer gas 60/40 cylinder 6.35kg'];

const SOFT: [string, string[]][] = [
  ['Fever-Tree Premium Indian Tonic Water', ['200ml bottle', '500ml bottle', '150ml can']], ['Fever-Tree Refreshingly Light Tonic', ['200ml bottle', '150ml can']],
  ['Fever-Tree Mediterranean Tonic', ['200ml bottle', '500ml bottle']], ['Fever-Tree Ginger Beer', ['200ml bottle', '150ml can']],
  ['Fever-Tree Ginger Ale', ['200ml bottle']], ['Fentimans Ginger Beer', ['275ml bottle']], ['Fentimans Rose Lemonade', ['275ml bottle']],
  ['Coca-Cola', ['330ml can', '200ml glass bottle', '1.75l bottle']], ['Diet Coke', ['330ml can', '200ml glass bottle']],
  ['Coca-Cola Zero Sugar', ['330ml can']], ['Schweppes Lemonade', ['200ml bottle']], ['Schweppes Soda Water', ['200ml bottle', '1l bottle']],
  ['Britvic Orange Juice', ['160ml bottle']], ['Britvic Tomato Juice', ['160ml bottle']], ['Belvoir Elderflower Pressé', ['250ml bottle', '750ml bottle']],
  ['Double Dutch Pink Grapefruit Soda', ['200ml bottle']], ['Franklin & Sons Original Cola', ['275ml bottle']],
  ['Highland Spring Still Water', ['330ml bottle', '750ml bottle', '1.5l bottle']], ['Highland Spring Sparkling Water', ['330ml bottle', '750ml bottle']],
  ['San Pellegrino Sparkling Water', ['500ml bottle', '750ml bottle']], ['Acqua Panna Still Water', ['500ml bottle', '750ml bottle']],
  ['San Pellegrino Limonata', ['330ml can']], ['Red Bull Energy Drink', ['250ml can']], ['Appletiser', ['275ml bottle']],
  ['J2O Orange & Passion Fruit', ['275ml bottle']], ['Luscombe Sicilian Lemonade', ['270ml bottle']], ['Big Tom Spiced Tomato Juice', ['250ml bottle']],
  ['Cawston Press Apple & Rhubarb', ['330ml can']], ['Monin Gomme Syrup', ['70cl bottle']], ['Monin Vanilla Syrup', ['70cl bottle']],
];

const FRESH: [string, string[], number, number][] = [
  ['Beef fillet', ['Aberdeen Angus', 'Hereford', 'Irish'], 38, 55], ['Beef sirloin', ['Aberdeen Angus', 'Hereford'], 24, 34],
  ['Beef mince 15% fat', ['British'], 7, 10], ['Chicken breast', ['Free-range', 'Corn-fed', 'British'], 8, 14],
  ['Chicken thighs, boneless', ['Free-range', 'British'], 6, 9], ['Lamb rump', ['Welsh', 'Cornish'], 19, 26],
  ['Pork belly', ['Gloucester Old Spot', 'Outdoor-bred'], 8, 12], ['Duck legs', ['Gressingham'], 10, 14],
  ['Salmon fillet', ['Scottish', 'Faroese'], 16, 24], ['Cod loin', ['Icelandic', 'Cornish'], 18, 26], ['Haddock fillet', ['Icelandic'], 14, 19],
  ['King prawns, raw', ['Vannamei'], 15, 22], ['Mussels, rope-grown', ['Shetland'], 4, 6], ['Vine tomatoes', ['Isle of Wight', 'Dutch'], 3, 6],
  ['Cherry tomatoes', ['Isle of Wight', 'Spanish'], 4, 7], ['Onions', ['British'], 0.8, 1.3], ['Red onions', ['British', 'Dutch'], 1, 1.6],
  ['Garlic', ['Spanish', 'French'], 5, 8], ['Shallots', ['French'], 2.5, 4], ['Potatoes, Maris Piper', ['British'], 0.6, 1],
  ['Carrots', ['British'], 0.7, 1.1], ['Leeks', ['British'], 1.8, 2.6], ['Chestnut mushrooms', ['British'], 3.5, 5],
  ['Courgettes', ['Spanish'], 1.8, 2.8], ['Aubergines', ['Spanish', 'Dutch'], 2, 3], ['Red peppers', ['Dutch', 'Spanish'], 2.5, 4],
  ['Baby spinach', ['British', 'Italian'], 6, 9], ['Wild rocket', ['Italian'], 8, 12], ['Lemons', ['Spanish', 'Sicilian'], 2, 3.5],
  ['Limes', ['Brazilian', 'Mexican'], 2.5, 4], ['Oranges', ['Spanish'], 1.5, 2.5], ['Bramley apples', ['British'], 1.6, 2.4],
  ['Strawberries', ['British', 'Spanish'], 5, 9], ['Parmigiano Reggiano 24 months', ['Italian'], 18, 26], ['Mature Cheddar', ['Somerset', 'Cornish'], 9, 14],
  ['Mozzarella fior di latte', ['Italian', 'British'], 9, 13], ['Unsalted butter', ['British', 'French'], 7, 10], ['Flat-leaf parsley', ['British'], 9, 14],
  ['Basil', ['Italian', 'British'], 14, 22], ['Fresh ginger', ['Peruvian', 'Chinese'], 3, 5], ['Mint', ['British'], 10, 16],
];
const ORIGINS = ['Organic', 'Premium', 'Catering grade', 'Select', 'Market'];

const PANTRY: [string, string, string[], number][] = [
  ['Arborio rice', '1kg', ['Riso Gallo', 'Riso Scotti'], 3.2], ['Basmati rice', '5kg', ['Tilda', 'Veetee'], 11],
  ['Spaghetti', '3kg', ['De Cecco', 'Garofalo'], 7.5], ['Penne rigate', '3kg', ['De Cecco', 'Garofalo'], 7.5],
  ['Plain flour', '16kg', ["Marriage's", 'Allinson'], 14], ['Strong white bread flour', '16kg', ["Marriage's", 'Allinson'], 16],
  ['Caster sugar', '2kg', ['Silver Spoon', 'Tate & Lyle'], 2.6], ['Sea salt flakes', '1.4kg', ['Maldon'], 11],
  ['Black peppercorns', '500g', ['Schwartz', 'Bart'], 9], ['Extra virgin olive oil', '5l', ['Filippo Berio', 'Belazu'], 32],
  ['Cold pressed rapeseed oil', '5l', ['Borderfields', 'Yellow Fields'], 14], ['Chopped tomatoes', '2.5kg tin', ['Mutti', 'Cirio'], 4.2],
  ['Passata', '2.5kg', ['Mutti', 'Cirio'], 4.6], ['Dijon mustard', '1kg', ['Maille', 'Edmond Fallot'], 7], ['Mayonnaise', '5l', ["Hellmann's"], 16],
  ['Balsamic vinegar of Modena', '1l', ['Belazu', 'Acetum'], 9], ['Dark chocolate callets 70.5%', '2.5kg', ['Callebaut'], 38],
  ['Strawberry conserve', '340g', ['Tiptree', 'Bonne Maman'], 3.1], ['Caramelised onion chutney', '300g', ['Tracklements', 'Tiptree'], 3.4],
  ['All butter shortbread', '150g', ['Walkers', "Dean's"], 2.2], ['Sea salt caramel truffles', '200g', ['Hotel Chocolat', 'Charbonnel et Walker'], 9.5],
  ['Nocellara olives', '2kg', ['Belazu', 'Cypressa'], 17], ['Anchovy fillets in olive oil', '500g', ['Ortiz', 'Cantabrico'], 19],
  ['Wildflower honey', '454g', ['Rowse', 'Littleover'], 4.5], ['Espresso coffee beans', '1kg', ['Union', 'Lavazza'], 18],
  ['English breakfast tea, 100 bags', 'box', ['Yorkshire Tea', 'Twinings'], 3.8], ['Rough oatcakes', '300g', ["Nairn's", 'Paterson'], 1.9],
  ['Water biscuits for cheese', '125g', ["Carr's", 'Fortnum & Mason'], 2.8], ['Panettone classico', '1kg', ['Loison', 'Tre Marie'], 16],
  ['Christmas pudding', '454g', ['Fortnum & Mason', "Cole's"], 9], ['Smoked almonds', '1kg', ['Brindisa', 'Belazu'], 15],
];
const PANTRY_EXTRA = ['catering pack', 'twin pack', 'case of 6', 'case of 12', 'value pack', 'organic'];

const CONSUMABLES: [string, number][] = [
  ['Napkins 2-ply 33cm white (2000)', 24], ['Dinner napkins 40cm black (500)', 21], ['Paper straws (250)', 4.5], ['Cocktail sticks (1000)', 3],
  ['Blue roll 2-ply (6)', 16], ['Cling film 45cm × 300m', 8], ['Catering foil 45cm × 75m', 12], ['Nitrile gloves M (100)', 5.5],
  ['Nitrile gloves L (100)', 5.5], ['Bin liners 90l (200)', 19], ['Glass wash detergent 5l', 11], ['Dishwasher rinse aid 5l', 12],
  ['Sanitiser spray 750ml', 3.2], ['Antibacterial hand soap 5l', 9], ['Bar towels (10)', 14], ['Till rolls 57mm (20)', 9],
  ['Receipt rolls 80mm (20)', 15], ['Beer mats (1000)', 22], ['Tealights 8h (100)', 12], ['Takeaway cups 12oz (1000)', 55],
  ['Wooden stirrers 14cm (1000)', 6], ['Food labels day-dot (1000)', 7],
];
const CONSUMABLE_BRANDS = ['Swantex', 'Jangro', 'Duni', 'Bunzl', 'Ecover', 'Robert Scott', 'Vegware', 'Katrin', 'Essentials'];

const PACKAGING: [string, number][] = [
  ['Wine shipper 6 × 75cl', 1.1], ['Wine shipper 12 × 75cl', 1.6], ['Gift box 1-bottle', 2.4], ['Gift box 2-bottle', 3.6],
  ['Magnum gift box', 4.2], ['Hamper basket large', 7.5], ['Hamper basket small', 4.8], ['Tissue paper 500 × 750mm (480)', 18],
  ['Shredded paper 10kg', 14], ['Bubble wrap 500mm × 100m', 16], ['Parcel tape 48mm × 66m (36)', 24], ['Bottle sleeves (100)', 21],
  ['Ribbon 25mm × 50m', 6], ['Gift tags (100)', 5], ['Pallet wrap 400mm × 250m', 9], ['Spirit tube 70cl', 1.9],
];
const PACKAGING_STYLES = ['kraft', 'black', 'white', 'printed', 'recycled'];
const PACKAGING_BRANDS = ['Smurfit Kappa', 'DS Smith', 'Kite Packaging', 'Raja', 'Davpack'];

const KITCHEN_PREPS: [string, 'kg' | 'l'][] = [
  ['Tomato sauce', 'l'], ['Chicken stock', 'l'], ['Beef stock', 'l'], ['Veal jus', 'l'], ['Pizza dough', 'kg'], ['Fresh egg pasta', 'kg'],
  ['Béchamel sauce', 'l'], ['Hollandaise', 'l'], ['Aioli', 'kg'], ['Basil pesto', 'kg'], ['Salsa verde', 'kg'], ['Beef ragù', 'kg'],
  ['Duck leg confit', 'kg'], ['Pickled red onions', 'kg'], ['Caramelised onions', 'kg'], ['Chocolate brownie batter', 'kg'],
  ['Crème anglaise', 'l'], ['Sticky toffee sauce', 'l'], ['House vinaigrette', 'l'], ['Garlic butter', 'kg'], ['Focaccia dough', 'kg'],
  ['Romesco', 'kg'], ['Chimichurri', 'kg'], ['Mashed potato', 'kg'],
];
const BAR_PREPS = [
  'Sugar syrup 1:1', 'Rich demerara syrup', 'Fresh lime juice', 'Fresh lemon juice', 'Orgeat', 'House grenadine', 'Bloody Mary mix',
  'Negroni batch', 'Espresso Martini batch', 'Old Fashioned batch', 'Oleo saccharum', 'Ginger syrup', 'Raspberry shrub',
  'Saline solution 20%', 'Clarified milk punch', 'Cold brew coffee',
];
const PREP_VARIANTS = ['vegan', 'gluten-free', 'large batch', 'spiced', 'winter recipe', 'summer recipe'];

const MADE = [
  'Christmas hamper — Classic', 'Christmas hamper — Luxury', 'Mixed case — Claret (12)', 'Mixed case — Rhône (6)',
  'Mixed case — Summer whites (6)', 'Gift box — Champagne & truffles', 'Gift box — Gin & tonic', 'Wine club case — Spring',
  'Wine club case — Autumn', 'Corporate gift — Whisky & shortbread', 'Tasting kit — Burgundy (6 × 5cl)', 'Cheese & port hamper',
  'Italian deli hamper', 'Cocktail kit — Negroni', 'Cocktail kit — Espresso Martini',
];
const MADE_EDITIONS = ['2024 edition', '2025 edition', 'large', 'small', 'corporate', 'staff'];

const COCKTAILS: Record<string, string[]> = {
  gin: ['Negroni', 'Martini', 'Gimlet', 'Tom Collins', 'Gin & Tonic', 'Bramble', 'French 75'],
  vodka: ['Espresso Martini', 'Moscow Mule', 'Cosmopolitan', 'Bloody Mary', 'Vodka Martini'],
  rum: ['Daiquiri', 'Mojito', 'Dark and Stormy', 'Rum Punch', 'Mai Tai'],
  whisky: ['Old Fashioned', 'Manhattan', 'Whisky Sour', 'Highball', 'Boulevardier', 'Penicillin'],
  tequila: ['Margarita', 'Paloma', "Tommy's Margarita"],
  aperitif: ['Spritz', 'Americano', 'Negroni Sbagliato'],
  liqueur: ['Sour', 'Spritz', 'On the rocks'],
  cognac: ['Sidecar', 'Sazerac', 'Brandy Alexander'],
};
const COCKTAIL_FAMILY: Record<string, string> = {
  gin: 'gin', vodka: 'vodka', rum: 'rum', whisky: 'whisky', whiskey: 'whisky', bourbon: 'whisky', rye: 'whisky',
  tequila: 'tequila', mezcal: 'tequila', aperitif: 'aperitif', vermouth: 'aperitif', liqueur: 'liqueur', cognac: 'cognac',
};
const DISHES = [
  'Fish and chips', 'Steak frites', 'Risotto primavera', 'Margherita pizza', 'Pizza diavola', 'Spaghetti carbonara', 'Penne arrabbiata',
  'Chicken Caesar salad', 'Beef burger', 'Chicken burger', 'Lamb rump, salsa verde', 'Roast chicken', 'Sunday roast beef',
  'Pork belly, apple purée', 'Duck confit', 'Moules frites', 'Salmon, crushed potatoes', 'Cod, brown shrimp butter', 'Mushroom risotto',
  'Aubergine parmigiana', 'Shakshuka', 'Eggs Benedict', 'Full English', 'Sticky toffee pudding', 'Chocolate brownie', 'Crème brûlée',
  'Eton mess', 'Cheese board', 'Focaccia and olives', 'Soup of the day', 'Prawn cocktail', "Ploughman's", 'Beef ragù pappardelle',
  'Chicken Milanese', 'Burrata, heritage tomatoes', 'Fishcakes', 'Steak and ale pie', 'Ribeye steak', 'Bread and butter pudding',
];
const DISH_VARIANTS = ['small', 'large', 'kids', 'vegan', 'sharing', 'lunch menu', 'set menu', 'bar menu', 'room service'];

const OTHER = [
  'Corkage fee', 'Cakeage fee', 'Gift voucher £10', 'Gift voucher £25', 'Gift voucher £50', 'Gift voucher £100',
  'Delivery charge — local', 'Delivery charge — national', 'Delivery charge — next day', 'Service charge 12.5%',
  'Room hire — private dining', 'Room hire — cellar bar', 'Wine tasting ticket', 'Cocktail masterclass ticket',
  'Glass hire (rack of 25)', 'Keg deposit', 'Cylinder deposit', 'Wine club membership — monthly', 'Wine club membership — annual',
  'Cellar storage — per case per year', 'Engraving service',
];

// ----------------------------------------------------------------------------------------------
// Planning
// ----------------------------------------------------------------------------------------------

const SHARES: Record<Category, number> = {
  recipe: 0.12, other: 0.03, preparation: 0.05, made: 0.04,
  wine: 0.76 * 0.24, spirits: 0.76 * 0.14, beer: 0.76 * 0.07, kegs: 0.76 * 0.02, soft: 0.76 * 0.06,
  food: 0.76 * 0.28, consumables: 0.76 * 0.11, packaging: 0.76 * 0.08,
};
/** The smallest catalog that still has every stock type, tracking mode, route and outlet recipe. */
const MINIMUM: Record<Category, number> = {
  recipe: 2, other: 1, preparation: 2, made: 1, wine: 3, spirits: 2, beer: 2, kegs: 1, soft: 1, food: 2, consumables: 1, packaging: 1,
};
export const MIN_PRODUCTS = Object.values(MINIMUM).reduce((a, b) => a + b, 0);

const SUPPLIED_ORDER: Category[] = ['wine', 'spirits', 'beer', 'kegs', 'soft', 'food', 'consumables', 'packaging'];
const SKU_PREFIX: Record<Category, string> = {
  wine: 'WIN', spirits: 'SPI', beer: 'BEE', kegs: 'KEG', soft: 'SOF', food: 'FOO', consumables: 'CON', packaging: 'PAC',
  preparation: 'PRE', made: 'GIF', recipe: 'MNU', other: 'SRV',
};
const GROUP: Record<Category, string> = {
  wine: 'WINE', spirits: 'SPIRITS', beer: 'BEER', kegs: 'BEER', soft: 'SOFT', food: 'FOOD', consumables: 'CONSUMABLES', packaging: 'PACKAGING',
  preparation: 'PREP', made: 'GIFTS', recipe: 'MENU', other: 'SERVICES',
};

const money = (pounds: number) => Math.max(100, Math.round(pounds * 100) * 100);

function categoryCounts(n: number): Record<Category, number> {
  const counts = {} as Record<Category, number>;
  let total = 0;
  for (const c of Object.keys(SHARES) as Category[]) {
    counts[c] = Math.max(MINIMUM[c], Math.round(n * SHARES[c]));
    total += counts[c];
  }
  // Absorb rounding in the largest categories, never going below a minimum.
  const order: Category[] = ['food', 'wine', 'recipe', 'spirits', 'consumables'];
  let k = 0;
  while (total !== n && k < 10_000) {
    const c = order[k % order.length]!;
    if (total > n && counts[c] > MINIMUM[c]) {
      counts[c]--;
      total--;
    } else if (total < n) {
      counts[c]++;
      total++;
    }
    k++;
  }
  return counts;
}

interface Draft {
  name: string;
  unit: 'ea' | 'kg' | 'l';
  tracking: TrackingMode;
  route: Route;
  homes: number[];
  cost: number;
  excise: number;
  pack: number;
  saleQtys: number[];
  shelfLife: [number, number] | null;
  attributes: Record<string, string>;
  caseBarcode: boolean;
}

const SIZES_75: [string, number][] = [['75cl', 1], ['75cl', 1], ['75cl', 1], ['75cl', 1], ['150cl', 2.1], ['37.5cl', 0.55]];

/** Turns name candidates into unique names: tries `make(attempt)` a few times, then numbers it. */
class Namer {
  private readonly used = new Set<string>();
  unique(make: (attempt: number) => string): string {
    let name = '';
    for (let attempt = 0; attempt < 12; attempt++) {
      name = make(attempt);
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    for (let k = 2; ; k++) {
      const numbered = `${name} (No. ${k})`;
      if (!this.used.has(numbered)) {
        this.used.add(numbered);
        return numbered;
      }
    }
  }
}

function supplied(category: Category, i: number, rng: Rng, namer: Namer): Draft {
  const base = { tracking: 'BULK' as TrackingMode, excise: 0, shelfLife: null as [number, number] | null, caseBarcode: false };
  switch (category) {
    case 'wine': {
      const m = i % 7;
      if (m === 0) {
        // Fine wine bought en primeur, serial-numbered bottles, kept in bond.
        let vintage = '';
        let size: [string, number] = ['75cl', 1];
        const name = namer.unique((a) => {
          vintage = String(rng.int(2005, 2021));
          size = a > 3 && rng.chance(0.4) ? ['150cl', 2] : ['75cl', 1];
          return `${rng.pick(FINE_WINES)} ${vintage} ${size[0]}`;
        });
        return {
          ...base, name, unit: 'ea', tracking: 'SERIAL', route: 'ep', homes: [WH2], cost: money(rng.around(80, 900) * size[1]),
          excise: money(2.67 * size[1]), pack: 6, saleQtys: [1, 1, 2, 3, 6], attributes: { vintage, size: size[0], colour: 'red' }, caseBarcode: true,
        };
      }
      if (m === 3 || m === 4) {
        // House wine in bag-in-box, poured by the glass at the bar.
        let colour = 'red';
        const name = namer.unique((a) => {
          const [producer, wines] = rng.pick(WINES);
          const still = wines.filter((w) => !SPARKLING.test(w));
          const wine = still.length ? rng.pick(still) : 'Côtes du Rhône Rouge';
          colour = /Rosé|Rosado/.test(wine) ? 'rosé' : WHITE.test(wine) ? 'white' : 'red';
          const vintage = wine.includes('NV') ? '' : ` ${rng.int(2019, 2023)}`;
          return `${producer} ${wine}${vintage} bag-in-box ${a > 6 ? '20l' : '10l'}`;
        });
        return {
          ...base, name, unit: 'l', route: 'wh1', homes: [WH1, BAR], cost: money(rng.around(5, 9.5)), excise: money(3.56),
          pack: 10_000, saleQtys: [10_000, 20_000, 30_000], attributes: { colour, format: 'bag-in-box' },
        };
      }
      let colour = 'red';
      let vintage = 'NV';
      let size: [string, number] = ['75cl', 1];
      const name = namer.unique(() => {
        const [producer, wines] = rng.pick(WINES);
        const wine = rng.pick(wines);
        colour = /Rosé|Rosado/.test(wine) ? 'rosé' : SPARKLING.test(wine) ? 'sparkling' : WHITE.test(wine) ? 'white' : 'red';
        vintage = wine.includes('NV') ? 'NV' : String(rng.int(2015, 2023));
        size = rng.pick(SIZES_75);
        return `${producer} ${wine}${vintage === 'NV' ? '' : ` ${vintage}`} ${size[0]}`;
      });
      const price = (colour === 'sparkling' ? rng.around(9, 45) : rng.around(5.5, 38)) * size[1];
      const d: Draft = {
        ...base, name, unit: 'ea', route: m === 1 ? 'bond' : 'wh1', homes: m === 1 ? [WH2, WH1] : [WH1], cost: money(price),
        excise: money((colour === 'sparkling' ? 3.4 : 2.67) * size[1]), pack: price < 9 ? 12 : 6, saleQtys: [1, 1, 2, 3, 6, 6, 12],
        attributes: { vintage, size: size[0], colour }, caseBarcode: true,
      };
      if (m === 2) {
        d.tracking = 'LOT';
        d.shelfLife = [1800, 3650];
      }
      return d;
    }
    case 'spirits': {
      const m = i % 4;
      if (m === 2) {
        let release = '';
        let price = 0;
        const name = namer.unique((a) => {
          const [n, p] = rng.pick(RARE_SPIRITS);
          price = p;
          release = String(rng.int(2016, 2024));
          return `${n} ${release} release${a > 4 ? `, cask ${rng.int(100, 9999)}` : ''} 70cl`;
        });
        return {
          ...base, name, unit: 'ea', tracking: 'SERIAL', route: 'wh1', homes: [WH1], cost: money(price * rng.around(0.85, 1.15)),
          excise: money(0.43 * 0.7 * 31.64), pack: rng.pick([1, 2, 3]), saleQtys: [1], attributes: { release, size: '70cl' },
        };
      }
      let spirit: [string, string, number, number] = SPIRITS[0]!;
      if (m === 1 || m === 3 && i % 8 === 7) {
        const name = namer.unique((a) => {
          spirit = rng.pick(SPIRITS);
          return a > 1 ? `${spirit[0]} ${rng.pick(SPIRIT_EDITIONS)} (bar pour)` : `${spirit[0]} (bar pour)`;
        });
        return {
          ...base, name, unit: 'l', route: 'wh1', homes: [WH1, BAR], cost: money((spirit[3] / 0.7) * rng.around(0.9, 1.05)),
          excise: money((spirit[2] / 100) * 31.64), pack: 4200, saleQtys: [700, 1400, 4200], attributes: { kind: spirit[1], abv: `${spirit[2]}%` },
        };
      }
      let size: [string, number] = ['70cl', 1];
      const name = namer.unique((a) => {
        spirit = rng.pick(SPIRITS);
        size = rng.pick<[string, number]>([['70cl', 1], ['70cl', 1], ['70cl', 1], ['1L', 1.4], ['35cl', 0.55], ['5cl miniature', 0.09]]);
        return a > 2 ? `${spirit[0]} ${rng.pick(SPIRIT_EDITIONS)} ${size[0]}` : `${spirit[0]} ${size[0]}`;
      });
      const bonded = i % 8 === 0;
      const litres = size[0] === '1L' ? 1 : size[0] === '35cl' ? 0.35 : size[0] === '5cl miniature' ? 0.05 : 0.7;
      return {
        ...base, name, unit: 'ea', route: bonded ? 'bond' : 'wh1', homes: bonded ? [WH2, WH1] : [WH1], cost: money(spirit[3] * size[1]),
        excise: money((spirit[2] / 100) * litres * 31.64), pack: size[0] === '5cl miniature' ? 24 : 6, saleQtys: [1, 1, 2, 3, 6],
        attributes: { kind: spirit[1], abv: `${spirit[2]}%`, size: size[0] }, caseBarcode: true,
      };
    }
    case 'beer': {
      const m = i % 3;
      if (m === 1) {
        const name = namer.unique((a) => {
          const [brewery, beers] = rng.pick(BEERS);
          return `${brewery} ${rng.pick(beers)} (draught${a > 3 ? `, ${rng.pick(['seasonal', 'guest', 'festival', 'cask'])}` : ''})`;
        });
        return {
          ...base, name, unit: 'l', route: 'bar', homes: [BAR], cost: money(rng.around(2.2, 4.2)), excise: money(0.95),
          pack: rng.pick([30_000, 50_000]), saleQtys: [30_000, 50_000], attributes: { format: 'draught' },
        };
      }
      let format: [string, number] = BEER_FORMATS[0]!;
      const name = namer.unique((a) => {
        const [brewery, beers] = rng.pick(BEERS);
        format = rng.pick(BEER_FORMATS);
        return `${brewery} ${rng.pick(beers)}${a > 3 ? ` ${rng.pick(['Special Edition', 'Festive', 'Session', 'Export'])}` : ''} ${format[0]}`;
      });
      const d: Draft = {
        ...base, name, unit: 'ea', route: 'wh1', homes: [WH1, BAR], cost: money(rng.around(0.8, 2.4) * format[1] / 0.33),
        excise: money(format[1] * 0.045 * 21.01), pack: 24, saleQtys: [12, 24, 24, 48], attributes: { format: format[0] }, caseBarcode: true,
      };
      if (m === 0) {
        d.tracking = 'LOT';
        d.shelfLife = [120, 365];
      }
      return d;
    }
    case 'kegs': {
      const gas = i % 5 === 4;
      const name = namer.unique((a) => {
        if (gas) return a > 0 ? `${rng.pick(GAS)} (${rng.pick(['BOC', 'Adcor', 'Air Liquide'])})` : rng.pick(GAS);
        const [brewery, beers] = rng.pick(BEERS);
        return `${brewery} ${rng.pick(beers)} ${rng.pick(['keg 30l', 'keg 50l', 'cask 9 gal', 'keg 20l'])}`;
      });
      return {
        ...base, name, unit: 'ea', tracking: 'RFID', route: 'wh1', homes: [WH1, BAR], cost: money(gas ? rng.around(25, 40) : rng.around(85, 190)),
        excise: gas ? 0 : money(45), pack: rng.pick([1, 2, 4]), saleQtys: [1, 1, 2], attributes: { container: gas ? 'cylinder' : 'keg', tag: 'RFID' },
      };
    }
    case 'soft': {
      const name = namer.unique((a) => {
        const [n, sizes] = rng.pick(SOFT);
        return `${n} ${rng.pick(sizes)}${a > 2 ? ` ${rng.pick(['(case of 24)', '(case of 12)', '(multipack)', '(catering)'])}` : ''}`;
      });
      const lot = i % 2 === 0;
      return {
        ...base, name, unit: 'ea', tracking: lot ? 'LOT' : 'BULK', shelfLife: lot ? [180, 540] : null, route: 'wh1',
        homes: i % 4 === 0 ? [WH1, BAR, KIT] : [WH1, BAR], cost: money(rng.around(0.35, 1.6)), pack: 24, saleQtys: [6, 12, 24, 24],
        attributes: {}, caseBarcode: true,
      };
    }
    case 'food': {
      const m = i % 4;
      if (m === 0 || m === 2) {
        let price = 0;
        const name = namer.unique((a) => {
          const [item, origins, lo, hi] = rng.pick(FRESH);
          price = rng.around(lo, hi);
          return `${item}, ${a > 2 ? `${rng.pick(ORIGINS)} ` : ''}${rng.pick(origins)}`;
        });
        const bar = i % 8 === m;
        return {
          ...base, name, unit: 'kg', tracking: m === 0 ? 'LOT' : 'BULK', shelfLife: m === 0 ? [4, 14] : null, route: 'kitchen',
          homes: bar ? [KIT, BAR] : [KIT], cost: money(price), pack: 1000 * rng.pick([1, 2, 2.5, 5]), saleQtys: [1000, 2500, 5000],
          attributes: {},
        };
      }
      let price = 0;
      const name = namer.unique((a) => {
        const [item, packSize, brands, p] = rng.pick(PANTRY);
        price = p * rng.around(0.9, 1.1);
        return `${rng.pick(brands)} ${item} ${packSize}${a > 2 ? ` (${rng.pick(PANTRY_EXTRA)})` : ''}`;
      });
      return {
        ...base, name, unit: 'ea', tracking: m === 1 ? 'LOT' : 'BULK', shelfLife: m === 1 ? [180, 720] : null, route: 'wh1',
        homes: m === 1 ? [WH1] : [WH1, KIT], cost: money(price), pack: rng.pick([6, 12]), saleQtys: [1, 2, 4, 6, 12], attributes: {}, caseBarcode: true,
      };
    }
    case 'consumables': {
      let price = 0;
      const name = namer.unique(() => {
        const [item, p] = rng.pick(CONSUMABLES);
        price = p;
        return `${rng.pick(CONSUMABLE_BRANDS)} ${item}`;
      });
      const homes = [WH1];
      if (i % 3 !== 2) homes.push(BAR);
      if (i % 3 !== 1) homes.push(KIT);
      return {
        ...base, name, unit: 'ea', route: 'sundry', homes, cost: money(price * rng.around(0.9, 1.1)), pack: rng.pick([1, 2, 4, 6, 10]),
        saleQtys: [1, 2, 5], attributes: {},
      };
    }
    case 'packaging':
    default: {
      let price = 0;
      const name = namer.unique((a) => {
        const [item, p] = rng.pick(PACKAGING);
        price = p;
        return `${item}, ${rng.pick(PACKAGING_STYLES)}${a > 1 ? ` (${rng.pick(PACKAGING_BRANDS)})` : ''}`;
      });
      return {
        ...base, name, unit: 'ea', route: 'sundry', homes: [WH1], cost: money(price * rng.around(0.9, 1.1)), pack: rng.pick([25, 50, 100]),
        saleQtys: [10, 25, 50], attributes: {},
      };
    }
  }
}

const isIngredient = (p: PlannedProduct, site: number) =>
  p.homes.includes(site) &&
  (p.stockType === 'Supplied' || p.stockType === 'Preparation') &&
  (p.tracking === 'BULK' || p.tracking === 'LOT') &&
  p.category !== 'consumables' &&
  p.category !== 'packaging';

/** A typical amount of an ingredient used in one serving or one unit made, in base units. */
function portion(p: PlannedProduct, rng: Rng): number {
  if (p.unit === 'ea') return 1;
  if (p.category === 'wine') return rng.pick([125, 175, 175, 250]);
  if (p.category === 'spirits') return rng.pick([25, 25, 50]);
  if (p.category === 'beer') return rng.pick([568, 568, 284]);
  if (p.category === 'preparation' && p.unit === 'l') return rng.pick([20, 30, 50, 100, 150]);
  return rng.pick([40, 60, 80, 120, 150, 200, 250]);
}

/** Plans the whole catalog: `n` products of every stock type and tracking mode, deterministic for a seed. */
export function planCatalog(n: number, rng: Rng): PlannedProduct[] {
  const counts = categoryCounts(n);
  const namer = new Namer();
  const out: PlannedProduct[] = [];
  const serials = new Map<Category, number>();
  const add = (category: Category, stockType: StockType, d: Omit<Draft, 'caseBarcode'> & { caseBarcode?: boolean }, extra: Partial<PlannedProduct> = {}) => {
    const idx = out.length;
    const k = (serials.get(category) ?? 0) + 1;
    serials.set(category, k);
    const barcodes: string[] = [];
    if (stockType === 'Supplied' || stockType === 'Made') {
      barcodes.push(ean13(`50${'1234'}${pad(idx + 1, 6)}`));
      if (d.caseBarcode) barcodes.push(ean13(`50${'1235'}${pad(idx + 1, 6)}`));
    }
    out.push({
      idx,
      sku: `${SKU_PREFIX[category]}-${pad(k, 5)}`,
      name: d.name,
      unit: d.unit,
      scale: d.unit === 'ea' ? 0 : 3,
      stockType,
      tracking: d.tracking,
      category,
      group: GROUP[category],
      barcodes,
      attributes: d.attributes,
      route: d.route,
      homes: d.homes,
      cost: d.cost,
      excise: d.excise,
      pack: d.pack,
      saleQtys: d.saleQtys,
      shelfLife: d.shelfLife,
      popularity: Math.exp((rng.next() + rng.next() + rng.next() - 1.5) * 2.2),
      components: [],
      yieldQty: 1,
      outlet: d.homes[0] ?? WH1,
      ...extra,
    });
    return out[idx]!;
  };

  for (const c of SUPPLIED_ORDER) for (let i = 0; i < counts[c]; i++) add(c, 'Supplied', supplied(c, i, rng, namer));

  // Preparations: made at the kitchen or the bar from the outlet's own ingredients.
  for (let i = 0; i < counts.preparation; i++) {
    const outlet = i % 2 === 0 ? KIT : BAR;
    let unit: 'kg' | 'l' = 'l';
    const name = namer.unique((a) => {
      if (outlet === KIT) {
        const [nm, u] = rng.pick(KITCHEN_PREPS);
        unit = u;
        return a > 0 ? `${nm} (${rng.pick(PREP_VARIANTS)})` : nm;
      }
      unit = 'l';
      const nm = rng.pick(BAR_PREPS);
      return a > 0 ? `${nm} (${rng.pick(PREP_VARIANTS)})` : nm;
    });
    const lot = i % 3 === 0;
    const yieldQty = 1000 * rng.int(2, 10);
    const p = add('preparation', 'Preparation', {
      name, unit, tracking: lot ? 'LOT' : 'BULK', route: 'none', homes: [outlet], cost: 0, excise: 0, pack: yieldQty,
      saleQtys: [500, 1000], shelfLife: lot ? [2, 5] : null, attributes: { outlet: outlet === KIT ? 'kitchen' : 'bar' },
    }, { yieldQty, outlet });
    const pool = out.filter((q) => q.stockType === 'Supplied' && isIngredient(q, outlet));
    const nIng = Math.min(pool.length, rng.int(2, 4));
    const used = new Set<number>();
    for (let k = 0; k < nIng; k++) {
      const q = rng.pick(pool);
      if (used.has(q.idx)) continue;
      used.add(q.idx);
      const qty = q.unit === 'ea' ? rng.int(1, 6) : Math.round(yieldQty * rng.around(0.1, 0.6));
      p.components.push({ idx: q.idx, qty: Math.max(1, qty) });
    }
  }

  // Made products: hampers and mixed cases assembled at the warehouse.
  for (let i = 0; i < counts.made; i++) {
    const name = namer.unique((a) => (a > 0 ? `${rng.pick(MADE)} (${rng.pick(MADE_EDITIONS)})` : rng.pick(MADE)));
    const lot = i % 3 === 1;
    const p = add('made', 'Made', {
      name, unit: 'ea', tracking: lot ? 'LOT' : 'BULK', route: 'none', homes: [WH1], cost: 0, excise: 0, pack: 1,
      saleQtys: [1, 1, 2, 5], shelfLife: lot ? [120, 365] : null, attributes: {}, caseBarcode: false,
    });
    const goods = out.filter((q) => q.stockType === 'Supplied' && q.unit === 'ea' && isIngredient(q, WH1));
    const boxes = out.filter((q) => q.category === 'packaging');
    const used = new Set<number>();
    if (boxes.length) {
      const b = rng.pick(boxes);
      used.add(b.idx);
      p.components.push({ idx: b.idx, qty: 1 });
    }
    const nGoods = Math.min(goods.length, rng.int(2, 4));
    for (let k = 0; k < nGoods; k++) {
      const q = rng.pick(goods);
      if (used.has(q.idx)) continue;
      used.add(q.idx);
      p.components.push({ idx: q.idx, qty: rng.int(1, 3) });
    }
  }

  // Recipes: menu items sold at the bar or the kitchen, exploded into their components on sale.
  for (let i = 0; i < counts.recipe; i++) {
    const outlet = i % 2 === 0 ? BAR : KIT;
    const pool = out.filter((q) => isIngredient(q, outlet));
    // Bar serves are built around a poured drink (spirit, wine, draught beer or a batched preparation).
    const mains = outlet === BAR ? pool.filter((q) => q.unit === 'l') : pool;
    const main = mains.length ? mains[rng.skewed(mains.length, 1.2)]! : pool.length ? rng.pick(pool) : null;
    const name = namer.unique((a) => {
      const variant = a > 0 ? ` (${rng.pick(DISH_VARIANTS)})` : '';
      if (outlet === KIT || !main) return `${rng.pick(DISHES)}${variant}`;
      const short = main.name.replace(/ \(bar pour\)| \(draught[^)]*\)| bag-in-box.*$/, '');
      if (main.category === 'preparation') return `${main.name.replace(/ batch$/, '')} (house serve)${variant}`;
      if (main.unit !== 'l') return `${main.name} (served)${variant}`;
      if (main.category === 'beer') return `${rng.pick(['Pint of', 'Half of', 'Schooner of'])} ${short}${variant}`;
      if (main.category === 'wine') return `${rng.pick(['Glass of', 'Large glass of', 'Carafe of'])} ${short}${variant}`;
      const family = COCKTAILS[COCKTAIL_FAMILY[main.attributes.kind ?? ''] ?? 'liqueur']!;
      const serve = a > 0 && rng.chance(0.3) ? rng.pick(['Single 25ml', 'Double 50ml']) : rng.pick(family);
      return `${serve} — ${short}${variant}`;
    });
    const p = add('recipe', 'Recipe', {
      name, unit: 'ea', tracking: 'BULK', route: 'none', homes: [], cost: 0, excise: 0, pack: 1, saleQtys: [1], shelfLife: null,
      attributes: { outlet: outlet === KIT ? 'kitchen' : 'bar' },
    }, { outlet });
    const used = new Set<number>();
    if (main) {
      used.add(main.idx);
      p.components.push({ idx: main.idx, qty: portion(main, rng) });
    }
    // Two to four components in all (fewer only if the outlet stocks fewer ingredients).
    const size = Math.min(pool.length, rng.int(2, 4));
    for (let k = 0; k < 50 && p.components.length < size; k++) {
      const q = rng.pick(pool);
      if (used.has(q.idx)) continue;
      used.add(q.idx);
      p.components.push({ idx: q.idx, qty: portion(q, rng) });
    }
  }

  for (let i = 0; i < counts.other; i++) {
    const name = namer.unique((a) => (a > 0 ? `${rng.pick(OTHER)} — ${rng.pick(['bar', 'restaurant', 'online', 'trade', 'events'])}` : rng.pick(OTHER)));
    add('other', 'Other', {
      name, unit: 'ea', tracking: 'BULK', route: 'none', homes: [], cost: 0, excise: 0, pack: 1, saleQtys: [1], shelfLife: null, attributes: {},
    });
  }
  return out;
}

export const SUPPLIERS: Record<Exclude<Route, 'none'>, string[]> = {
  wh1: ['Liberty Wines', 'Berkmann Wine Cellars', 'Enotria&Coe', 'Matthew Clark', 'Speciality Drinks', 'Bibendum', 'Fells', 'LWC Drinks'],
  sundry: ['Bunzl Catering Supplies', 'Kite Packaging', 'Nisbets', 'Jangro Direct'],
  bond: ['Corney & Barrow', 'Fine & Rare', 'Justerini & Brooks', 'Armit Wines'],
  ep: ['Berry Bros. & Rudd (en primeur)', 'Farr Vintners', 'Goedhuis & Co', 'Lay & Wheeler'],
  bar: ['Camden Town Brewery', 'Beavertown Brewery', "Fuller's Brewery", 'Adnams Direct'],
  kitchen: ['Natoora', 'Brakes', 'Bidfood', 'Smithfield Direct', 'Wild Harbour Fish', 'Covent Garden Supply'],
};
export const CUSTOMERS = [
  'The Ivy Chelsea Garden', 'Hawksmoor Borough', 'The Connaught', 'Rules Restaurant', 'St. John Marylebone', 'Dishoom Shoreditch',
  'The Harwood Arms', 'Brat Restaurant', 'Noble Rot', 'The Clove Club', 'Gymkhana', 'Trullo', 'The Anchor & Hope', 'Quo Vadis',
  'Barrafina Dean Street', 'The Spread Eagle', 'Kricket Soho', 'Sessions Arts Club', 'Private client', 'Corporate account',
];
