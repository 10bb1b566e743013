/**
 * The movement type a movements export's type word names, for `tally init`'s typeMap. The
 * English words (and their prefixes: `RECEIVE`, `SHIP_OUT`, `XFER_IN`), then the words and short
 * codes European ERPs and WMSs write (`Wareneingang`, `WA`, `Umlagerung`, `réception`,
 * `salida`, `reso`, `ontvangst`…), compared without case, accents or punctuation. A word
 * neither list knows is read as an adjustment, and `tally init` says so among its guesses.
 */

/** The English words, tried on the word as it is written. */
const ENGLISH: [RegExp, string][] = [
  [/^(receipt|receive|rcv|recv)/i, 'receipt'],
  [/^putaway|^put_away/i, 'putaway'],
  [/^pick/i, 'pick'],
  [/^(ship|dispatch)/i, 'shipment'],
  [/^(transfer|xfer)[ _-]?in/i, 'transfer_in'],
  [/^(transfer|xfer)/i, 'transfer_out'],
  [/^return/i, 'return'],
  [/^(adjust|adj)/i, 'adjustment'],
  [/^(count|cycle)/i, 'cycle_count'],
  [/^(allocate|reserve)/i, 'reservation'],
  [/^(deallocate|release)/i, 'release'],
  [/^(status|hold|qc)/i, 'status_change'],
];

/**
 * Other words, tried on the word folded (lowercase, no accents, letters and digits only). A
 * physical inventory's posting (`Inventurdifferenz`, `inventaire`) is its difference, a signed
 * quantity: an adjustment, not a cycle count (whose quantity is the counted one); `tally init`
 * says so where it reads one.
 */
const OTHER: [RegExp, string][] = [
  // short codes, whole: Wareneingang, Warenausgang, Umlagerung, Korrektur; goods receipt, issue
  [/^(we|gr|grn)$/, 'receipt'],
  [/^(wa|gi)$/, 'shipment'],
  [/^(uml|ul)$/, 'transfer_out'],
  [/^(korr|corr)$/, 'adjustment'],
  // a return anywhere in the word first: `Kundenretoure`, `Sales return` are no sales
  [/(return|retour|rucksend|ruckgabe|devolucion|^reso|^rma)/, 'return'],
  [
    /^(goodsreceipt|purchasereceipt|inbound|wareneingang|zugang|eingang|reception|entree)/,
    'receipt',
  ],
  [/^(recepcion|entrada|ricevimento|carico|entrata|ontvangst|inslag|ingang)/, 'receipt'],
  [/^(einlagerung|rangement|stoccaggio|ubicacion)/, 'putaway'],
  [/^(kommission|entnahme|prelevement|preparation|preparacion|prelievo|orderpick)/, 'pick'],
  [
    /^(goodsissue|delivery|sale|outbound|despatch|warenausgang|versand|lieferung|ausgang)/,
    'shipment',
  ],
  [/^(expedition|livraison|envio|expedicion|salida|spedizione|scarico|uscita)/, 'shipment'],
  [/^(verzending|uitslag|levering)/, 'shipment'],
  [
    /^(umlagerung|umbuchung|transfert|transferencia|traspaso|trasferimento|overboeking)/,
    'transfer_out',
  ],
  [/^(verplaatsing|stocktransfer|relocation|move)/, 'transfer_out'],
  [/^(reservierung|reservation|reserva|prenotazione|reservering|allocation)/, 'reservation'],
  [
    /^(sperr|qualitatsprufung|statuswechsel|blocage|bloqueo|blocco|blokkering|quarantine)/,
    'status_change',
  ],
  [
    /^(inventur|zahlung|zahldiff|inventaire|comptage|inventario|conteo|conta|telling|inventaris)/,
    'adjustment',
  ],
  [/^(stocktake|physicalinventory|inventorydifference|countdifference)/, 'adjustment'],
  [
    /^(korrektur|berichtigung|verschrott|schwund|ajustement|correction|rebut|ajuste|merma)/,
    'adjustment',
  ],
  [/^(rettifica|scarto|correctie|aanpassing|scrap|writeoff|damage|shrink|loss)/, 'adjustment'],
];

/** A count's posting read as its difference: what `tally init` says of it. */
const COUNT_POSTING =
  /^(inventur|zahlung|zahldiff|inventaire|comptage|inventario|conteo|conta|telling|inventaris|stocktake|physicalinventory|inventorydifference|countdifference)/;

/**
 * SAP's movement types (MB51's `Bewegungsart`), as numbers: what each does to the stock. Its
 * reversal (the type plus one: 102, 602) is the same type written with the other sign, which
 * `signedQuantity: stock` reads as the movement undone. A guess for another system's numbers,
 * so said as one.
 */
const SAP_TYPES: Record<string, [type: string, name: string]> = {
  '101': ['receipt', 'goods receipt'],
  '102': ['receipt', 'goods receipt reversed'],
  '122': ['shipment', 'return to vendor'],
  '201': ['shipment', 'goods issue to a cost center'],
  '202': ['shipment', 'goods issue to a cost center reversed'],
  '261': ['shipment', 'goods issue to an order'],
  '262': ['shipment', 'goods issue to an order reversed'],
  '301': ['transfer_out', 'transfer between plants'],
  '311': ['transfer_out', 'transfer between storage locations'],
  '551': ['adjustment', 'scrapping'],
  '552': ['adjustment', 'scrapping reversed'],
  '601': ['shipment', 'goods issue for a delivery'],
  '602': ['shipment', 'goods issue for a delivery reversed'],
  '651': ['return', 'customer return'],
  '701': ['adjustment', 'physical inventory difference (gain)'],
  '702': ['adjustment', 'physical inventory difference (loss)'],
};

/** A return to the vendor (RTV): stock leaving, not coming back. */
const TO_VENDOR =
  /^(rtv|returntovendor|returntosupplier|vendorreturn|supplierreturn|lieferantenretoure|rucksendunganlieferant|retourfournisseur|devolucionaproveedor|resoafornitore)/;

const fold = (word: string) =>
  word
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * The movement type of a type word, with what `tally init` should say of the reading when it
 * is a guess a person should check.
 */
export function moveTypeOf(word: string): { type: string; guess?: string } {
  const sap = SAP_TYPES[word.trim()];
  if (sap)
    return {
      type: sap[0],
      guess: `movement type "${word}" read as ${sap[0]} (SAP's ${word.trim()}: ${sap[1]})`,
    };
  const folded = fold(word);
  // first: `Count difference` is a count's difference, not the counted quantity
  if (COUNT_POSTING.test(folded))
    return {
      type: 'adjustment',
      guess: `movement type "${word}" read as an adjustment by its signed quantity (a count's difference); if the quantity is the counted one, map it to cycle_count`,
    };
  // stock sent back to the vendor leaves: a shipment, whatever its word says of returning
  if (TO_VENDOR.test(folded)) return { type: 'shipment' };
  const english = ENGLISH.find(([re]) => re.test(word));
  if (english) return { type: english[1] };
  const other = OTHER.find(([re]) => re.test(folded));
  if (other) return { type: other[1] };
  return { type: 'adjustment', guess: `movement type "${word}" read as an adjustment` };
}
