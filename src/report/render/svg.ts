import type { TopLevelSpec } from 'vega-lite';
import type { VlSpec } from '../figures/figure.js';
import { useMeasuredTextWidths } from './text-metrics.js';

/** Vega-Lite -> Vega -> SVG, offline, with text laid out by DejaVu Sans' real widths. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  // Loaded here, not at the top: vega's Node build (which vega-lite imports) awaits at its
  // top level, and that would stop CommonJS code (the tslab notebook kernel) from
  // require()-ing the package's API (Node: ERR_REQUIRE_ASYNC_MODULE).
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  useMeasuredTextWidths(vega);
  const vegaSpec = compile(spec as unknown as TopLevelSpec).spec;
  // Specs carry their data inline; refuse any loader fetch so rendering never touches the network.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('figures render offline: data must be inline'));
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
