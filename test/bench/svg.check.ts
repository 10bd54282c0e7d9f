const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=/g;

/**
 * Whether `text` is a well-formed SVG document: one `<svg>` root in the SVG namespace, every tag
 * closed in order, attributes quoted and unique, no stray `<` or `&`. Enough to know a browser or
 * any XML parser will read the chart (the project has no XML parser among its dependencies).
 */
export function wellFormedSvg(text: string): { ok: boolean; problem: string | undefined } {
  const open: string[] = [];
  let roots = 0;
  for (const match of text.matchAll(TOKEN)) {
    const [token, closing, name, attributes = '', selfClosing] = match;
    if (name === undefined) {
      if (token === '<' || token.startsWith('&')) return { ok: false, problem: `stray "${token}" at ${match.index}` };
      continue;
    }
    if (closing === '/') {
      if (open.pop() !== name) return { ok: false, problem: `</${name}> at ${match.index} closes nothing open` };
      continue;
    }
    const names = [...attributes.matchAll(ATTRIBUTE)].map((a) => a[1]);
    if (new Set(names).size !== names.length) return { ok: false, problem: `duplicate attribute on <${name}> at ${match.index}` };
    if (open.length === 0) {
      roots += 1;
      if (name !== 'svg' || !attributes.includes('xmlns="http://www.w3.org/2000/svg"')) return { ok: false, problem: `root <${name}> is not an SVG element` };
    }
    if (selfClosing !== '/') open.push(name);
  }
  if (open.length > 0) return { ok: false, problem: `<${open.join('><')}> never closed` };
  if (roots !== 1) return { ok: false, problem: `${roots} root elements` };
  return { ok: true, problem: undefined };
}
