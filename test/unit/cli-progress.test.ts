import { ProgressView } from '../../src/cli/progress';
import { Capture } from '../helpers/capture';

/** How `mockforge generate` shows a run's progress: a live bar on a terminal, plain lines otherwise. */
describe('ProgressView', () => {
  const at = (phase: string, rowsDone: number, rowsTotal: number, etaMs: number | null) => ({
    phase,
    rowsDone,
    rowsTotal,
    percent: (100 * rowsDone) / rowsTotal,
    etaMs,
  });

  it('on a terminal: one bar redrawn in place with phase, rows, rate and ETA', () => {
    const out = new Capture();
    out.isTTY = true;
    const view = new ProgressView(out);
    view.update(at('products', 10, 1000, null));
    view.update(at('orders', 400, 1000, 3000));
    view.stop();
    expect(out.text).toMatch(/orders\s+\[[^\]]+\] 40% \| 400\/1000 rows \| [\d,]+ rows\/s \| ETA 3s/);
    // Redrawn with cursor movements, not one line per update.
    expect(out.text.split('\n').length).toBeLessThanOrEqual(3);
  });

  it('otherwise: a line per phase change, at most one a second within a phase', () => {
    const out = new Capture();
    const view = new ProgressView(out);
    view.update(at('products', 10, 1000, null));
    view.update(at('products', 20, 1000, null));
    view.update(at('orders', 400, 1000, 2500));
    view.update(at('orders', 401, 1000, 2400));
    view.stop();
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^progress: products 10\/1,000 rows \(1\.0%\), [\d,]+ rows\/s, ETA \?$/);
    expect(lines[1]).toMatch(/^progress: orders 400\/1,000 rows \(40\.0%\), [\d,]+ rows\/s, ETA 3s$/);
  });
});
