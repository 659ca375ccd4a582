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
