/**
 * How a big view is added to Cytoscape when it is drawn progressively, one slice per animation
 * frame. Every frame repaints all that is drawn so far, so many small slices cost far more in
 * total (slices of 500 took a 2,000-node sweep's ~20K elements 11-14 s under bench:graph, against
 * 3.5-4.4 s for one batch, whose longest task held the page 2.4 s with nothing on screen). So the
 * first slice is small, for a picture at once, and each next one doubles up to a cap: at 2,000
 * the same draw took ~5 s in 13 frames, the longest 0.7 s (4,000: 1.0 s frames, no faster).
 */
export const FIRST_SLICE = 500;
export const MAX_SLICE = 2000;

/**
 * The slices to add one per frame: every node before any edge, so an edge never arrives before
 * both of its ends (Cytoscape rejects an edge to a missing node). One slice when it all fits.
 */
export function drawChunks<N, E>(nodes: readonly N[], edges: readonly E[], first = FIRST_SLICE, max = MAX_SLICE): (N | E)[][] {
  const all: (N | E)[] = [...nodes, ...edges];
  const out: (N | E)[][] = [];
  let size = first;
  for (let i = 0; i < all.length; i += size, size = Math.min(max, size * 2)) out.push(all.slice(i, i + size));
  return out;
}
