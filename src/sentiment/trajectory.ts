// How a customer's mood moves through a conversation: the series of their messages'
// sentiment scores and the slope over the last few (least squares, score per message).
// A negative slope means they are getting angrier.

export interface Trajectory {
  /** Scores of the customer's messages, oldest first (the last TRAJECTORY_KEEP). */
  series: number[];
  /** Change in score per message over the last TRAJECTORY_WINDOW messages; 0 with fewer than two. */
  slope: number;
}

export const TRAJECTORY_WINDOW = 5;
export const TRAJECTORY_KEEP = 20;

export function trajectory(previous: readonly number[], current: number): Trajectory {
  const series = [...previous, current].slice(-TRAJECTORY_KEEP);
  const recent = series.slice(-TRAJECTORY_WINDOW);
  const n = recent.length;
  if (n < 2) return { series, slope: 0 };
  const meanX = (n - 1) / 2;
  const meanY = recent.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  recent.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return { series, slope: Math.round((num / den) * 1000) / 1000 };
}
