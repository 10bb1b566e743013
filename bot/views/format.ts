/** Small text helpers shared by the views. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
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
