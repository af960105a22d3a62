/**
 * Escaping for the HTML report. Every string that came from a scenario, a function's output or an
 * error message goes through `html()` before it reaches markup; data for the page's script goes
 * through `jsonForScript()`, which keeps it inert inside a `<script type="application/json">`.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text → HTML text or attribute value (quoted): nothing in it can open a tag or end an attribute. */
export function html(text: string | number | boolean): string {
  return String(text).replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * JSON that cannot end its script element or be read as markup: `<`, `>`, `&` and the line
 * separators JavaScript once treated as newlines are written as \u escapes (JSON.parse restores them).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Environment variable names whose values must not end up in a report someone forwards. */
const SECRET_NAME =
  /secret|passw|pwd|token|credential|private|session|signature|auth|api[_-]?key|access[_-]?key|(^|_)key$|dsn|cookie|bearer/i;
/** Values that are secrets whatever they are called: AWS access keys, JWTs, PEM blocks, URLs with credentials. */
const SECRET_VALUE =
  /^(AKIA|ASIA)[A-Z0-9]{16}$|^eyJ[\w-]+\.[\w-]+\.|-----BEGIN [A-Z ]*PRIVATE KEY-----|:\/\/[^/\s:@]+:[^/\s@]+@/;

export const REDACTED = '(redacted)';

/** An environment with secret-looking values replaced by "(redacted)". */
export function redactEnvironment(env: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    out[name] = SECRET_NAME.test(name) || SECRET_VALUE.test(text) ? REDACTED : text;
  }
  return out;
}
