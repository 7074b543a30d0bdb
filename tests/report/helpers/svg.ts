/**
 * Reading Vega's SVG output in tests. Vega writes each mark as
 * `<g class="mark-<type> role-mark <name>_marks">` holding one element per data item
 * (role="graphics-symbol"), so items can be counted per named mark.
 */

/** Items of every mark whose name starts with `prefix` (faceted and concatenated views repeat a mark per cell). */
export function countMarks(svg: string, prefix: string): number {
  let count = 0;
  for (const body of markBodies(svg, prefix)) count += (body.match(/role="graphics-symbol"/g) ?? []).length;
  return count;
}

/** Text content of the items of text marks named with `prefix`. */
export function markTexts(svg: string, prefix: string): string[] {
  return markBodies(svg, prefix).flatMap((body) => [...body.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => decode(stripTags(m[1] as string))));
}

function markBodies(svg: string, prefix: string): string[] {
  const bodies: string[] = [];
  const opening = /<g class="mark-[a-z]+ role-mark ([A-Za-z0-9_]+)_marks"[^>]*>/g;
  for (const match of svg.matchAll(opening)) {
    if (!(match[1] as string).startsWith(prefix)) continue;
    const start = (match.index as number) + match[0].length;
    // Item-level marks hold no nested groups, so their body ends at the next </g>.
    bodies.push(svg.slice(start, svg.indexOf('</g>', start)));
  }
  return bodies;
}

/** Text of axis titles, legend titles, titles and subtitles. */
export function textsOfRole(svg: string, role: 'axis-title' | 'legend-title' | 'title-text' | 'title-subtitle' | 'axis-label' | 'legend-label'): string[] {
  const out: string[] = [];
  const opening = new RegExp(`<g class="mark-text role-${role}"[^>]*>`, 'g');
  for (const match of svg.matchAll(opening)) {
    const start = (match.index as number) + match[0].length;
    const body = svg.slice(start, svg.indexOf('</g>', start));
    for (const text of body.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)) out.push(decode(stripTags(text[1] as string)));
  }
  return out;
}

/** The root <svg> width and height. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
  return { width: Number(/width="([\d.]+)"/.exec(root)?.[1]), height: Number(/height="([\d.]+)"/.exec(root)?.[1]) };
}

function stripTags(text: string): string {
  return text.replace(/<tspan[^>]*>/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
