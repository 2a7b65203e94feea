import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { queueWork } from '../workQueue';

interface Props {
  /** Series, scales and axes; a new object rebuilds the chart, so keep it memoised. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
}

/**
 * A uPlot chart (canvas) that fills its container's width. New data is drawn in place with
 * `setData`, which takes a millisecond or two even for thousands of points, so the page never
 * stalls redrawing charts while training. Building and redrawing go through the work queue, so
 * a page update never builds several charts in one task.
 */
export function UPlotChart({ options, data, height }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The data a rebuilt chart starts from; kept current by the effect below.
  const latest = useRef(data);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let built: { chart: uPlot; resize: ResizeObserver } | null = null;
    const cancel = queueWork(() => {
      const chart = new uPlot({ ...options, width: Math.max(element.clientWidth, 100), height }, latest.current, element);
      const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 100), height }));
      resize.observe(element);
      built = { chart, resize };
      plot.current = chart;
    });
    return () => {
      cancel();
      built?.resize.disconnect();
      built?.chart.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    latest.current = data;
    return queueWork(() => plot.current?.setData(data));
  }, [data]);

  return <div ref={box} className="uplot-box" />;
}
