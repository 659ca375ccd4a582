/**
 * Which link destinations from model text may become a clickable `href`.
 *
 * Allowed: http(s), mailto, and relative references (resolved against the page, so they stay on http(s)).
 * Everything else (javascript:, data:, vbscript:, blob:, file:, custom schemes) is refused. The check parses the
 * destination with the WHATWG URL parser, the same one the browser uses when it follows the link, so tricks like
 * leading control characters, tabs inside the scheme or mixed case cannot make the two disagree.
 */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
// A base that is never requested: only used to resolve relative references for the protocol check.
const PROBE_BASE = 'https://relative.invalid/';

/**
 * How a link's destination is shown to the reader, next to its text: what the browser will really open. Absolute
 * URLs as the URL parser normalizes them (a homograph host in punycode, control and bidirectional-override
 * characters percent-encoded, the query string in full: it is where an injected answer would carry data out);
 * relative ones as written, with such characters encoded.
 */
export function shownDestination(href: string): string {
  try {
    return new URL(href).href;
  } catch {
    return href.replace(/[\p{Cc}\p{Cf}\s]/gu, (c) => encodeURIComponent(c));
  }
}

/** True when a link's visible text already says where it goes (an autolink): no need to repeat it. */
export function textShowsDestination(label: string, href: string): boolean {
  const bare = (s: string) => s.trim().replace(/^(?:https?:\/\/|mailto:)/i, '').replace(/\/$/, '');
  return label.trim() !== '' && bare(label) === bare(shownDestination(href));
}

/** The destination to put in `href`, or null when it must not be a link. */
export function safeHref(destination: string | null | undefined): string | null {
  if (typeof destination !== 'string') return null;
  const href = destination.trim();
  if (href === '') return null;
  let url: URL;
  try {
    url = new URL(href, PROBE_BASE);
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? href : null;
}
