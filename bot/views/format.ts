/** Small text helpers shared by the views. */

/** A whole quantity with thousands separators: 1155 → "1,155", -1155 → "-1,155". */
export function qty(n: number): string {
  return WHOLE.format(n);
}

/** One formatter for every call: building one per number costs more than the message itself. */
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A signed quantity with thousands separators: "+12", "-1,155", "0". */
export function signed(n: number): string {
  return n > 0 ? `+${qty(n)}` : qty(n);
}

/** "3d 4h" style age between two ISO times. */
export function age(fromIso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes % 60}m`;
  return `${minutes}m`;
}

/**
 * How long ago `fromIso` was, as Slack shows it to each reader when they read it (a date
 * token: `{ago}`, e.g. "3 days ago"), so a message that is not updated does not keep an age
 * it had when it was sent; the age at `now` is the text where the token cannot be shown.
 */
export function sinceToken(fromIso: string, now: Date): string {
  const ms = Date.parse(fromIso);
  const text = `${age(fromIso, now)} ago`;
  if (Number.isNaN(ms)) return text;
  return `<!date^${Math.floor(ms / 1000)}^{ago}|${text}>`;
}

export function mention(user: string | null): string {
  if (!user) return 'nobody';
  return /^[UW][A-Z0-9]+$/.test(user) ? `<@${user}>` : user;
}

/** A Slack user group (S…) as a mention that notifies its members; anything else as written. */
export function groupMention(group: string): string {
  return /^S[A-Z0-9]+$/.test(group) ? `<!subteam^${group}>` : group;
}

export const SEVERITY_ICON: Record<string, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':white_circle:',
};

export function humanCause(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ');
}

/** "high" → "High". */
export function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 19 23:00 UTC": a time a person reads at a glance (no seconds, no milliseconds). */
export function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hh}:${mm} UTC`;
}
