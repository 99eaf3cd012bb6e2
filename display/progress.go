package display

import (
	"fmt"
	"html"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gonnlab/gonn/output"
)

// throttle decides which updates of a live display are published: the
// first burst always, then at most one per interval. The state an update
// skips is published later by a timer (trailing), so the display never
// stays behind for longer than the interval.
type throttle struct {
	interval time.Duration
	burst    int
	now      func() time.Time // time.Now; tests replace it

	count int       // updates published
	last  time.Time // when the last was
	timer *time.Timer
}

// allow reports whether an update may be published now; when it may not,
// it arranges for flush to run once the interval has passed.
func (t *throttle) allow(flush func()) bool {
	now := t.now()
	if t.count < t.burst || now.Sub(t.last) >= t.interval {
		t.count++
		t.last = now
		// A trailing update armed before this one would follow it too
		// closely: the next skipped update arms a fresh one.
		t.stop()
		return true
	}
	if t.timer == nil {
		t.timer = time.AfterFunc(t.interval-now.Sub(t.last), flush)
	}
	return false
}

// due is called by the trailing timer: it reports whether the interval
// since the last published update has passed. If not (an update was
// published while the timer's flush waited for the lock), it arms the
// timer again for the rest of the interval.
func (t *throttle) due(flush func()) bool {
	t.timer = nil
	if wait := t.interval - t.now().Sub(t.last); wait > 0 {
		t.timer = time.AfterFunc(wait, flush)
		return false
	}
	return true
}

// published records an update published by the trailing timer.
func (t *throttle) published() {
	t.count++
	t.last = t.now()
	t.timer = nil
}

// stop cancels a pending trailing update.
func (t *throttle) stop() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// Progress is a progress bar updated in place while a loop runs: an HTML
// <progress> bar with the count, rate, time left and the latest metrics,
// and the same as one line of text for text front ends. Updates are
// published at most about five times a second (always the first three and
// the final state), so calling Add on every step of a training loop costs
// a few tens of nanoseconds per step.
//
// A Progress is safe for concurrent use.
type Progress struct {
	mu      sync.Mutex
	h       *Handle
	label   string
	total   int
	n       int
	metrics map[string]float64
	start   time.Time
	done    bool
	pending bool // a skipped update waits for the timer
	th      throttle
}

// ProgressInterval is the least time between two published updates of a
// Progress (after the first three).
const ProgressInterval = 200 * time.Millisecond

// NewProgress shows a progress bar for total steps (total <= 0 for an
// unknown total) with a label, and returns it.
func NewProgress(total int, label string) *Progress {
	return newProgress(total, label, time.Now)
}

func newProgress(total int, label string, now func() time.Time) *Progress {
	p := &Progress{label: label, total: total, metrics: map[string]float64{}, start: now(),
		th: throttle{interval: ProgressInterval, burst: 3, now: now}}
	p.th.count++ // the first display counts as an update
	p.th.last = p.start
	p.h = New(p.bundle())
	return p
}

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	p.update()
}

// Set moves the bar to step i.
func (p *Progress) Set(i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = i
	p.update()
}

// SetMetrics shows the values of m (loss, accuracy, ...) beside the bar,
// replacing earlier values of the same names.
func (p *Progress) SetMetrics(m map[string]float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	maps.Copy(p.metrics, m)
	p.update()
}

// Done publishes the final state; later calls change nothing shown.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	p.th.stop()
	p.h.Update(p.bundle())
}

// Count returns the steps done so far.
func (p *Progress) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// update publishes the state if the throttle allows; reaching the total
// is the final state, published at once. The caller holds p.mu.
func (p *Progress) update() {
	if p.done {
		return
	}
	if p.total > 0 && p.n >= p.total {
		p.done = true
		p.th.stop()
		p.h.Update(p.bundle())
		return
	}
	if p.th.allow(p.flush) {
		p.pending = false
		p.h.Update(p.bundle())
		return
	}
	p.pending = true
}

// flush publishes a skipped update; the throttle's timer calls it.
func (p *Progress) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done || !p.pending {
		p.th.timer = nil
		return
	}
	if !p.th.due(p.flush) {
		return
	}
	p.pending = false
	p.th.published()
	p.h.Update(p.bundle())
}

// bundle renders the current state. The caller holds p.mu.
func (p *Progress) bundle() output.Bundle {
	elapsed := p.th.now().Sub(p.start)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(p.n) / s
	}
	timing := formatDuration(elapsed)
	if p.total > 0 && !p.done && rate > 0 {
		timing += "<" + formatDuration(time.Duration(float64(p.total-p.n)/rate*float64(time.Second)))
	}
	timing += ", " + formatRate(rate)
	var metrics []string
	for _, k := range slices.Sorted(maps.Keys(p.metrics)) {
		metrics = append(metrics, fmt.Sprintf("%s=%.4g", k, p.metrics[k]))
	}
	count := fmt.Sprint(p.n)
	pct := ""
	frac := 0.0
	if p.total > 0 {
		count += "/" + fmt.Sprint(p.total)
		frac = math.Min(1, math.Max(0, float64(p.n)/float64(p.total)))
		pct = fmt.Sprintf("%3.0f%%", 100*frac)
	}

	var text strings.Builder
	if p.label != "" {
		text.WriteString(p.label + ": ")
	}
	if p.total > 0 {
		const width = 20
		full := int(frac * width)
		fmt.Fprintf(&text, "%s |%s%s| ", pct, strings.Repeat("█", full), strings.Repeat("░", width-full))
	}
	fmt.Fprintf(&text, "%s [%s]", count, timing)
	if len(metrics) > 0 {
		text.WriteString(" " + strings.Join(metrics, " "))
	}

	var h strings.Builder
	h.WriteString(`<div style="font-family:monospace;font-size:13px;line-height:22px">`)
	if p.label != "" {
		fmt.Fprintf(&h, `<b>%s</b> `, html.EscapeString(p.label))
	}
	if p.total > 0 {
		fmt.Fprintf(&h, `<progress value="%d" max="%d" style="width:260px;vertical-align:middle"></progress> %s `, min(p.n, p.total), p.total, pct)
	} else {
		h.WriteString(`<progress style="width:260px;vertical-align:middle"></progress> `)
	}
	fmt.Fprintf(&h, `%s <span style="color:#666">[%s]</span>`, count, html.EscapeString(timing))
	if len(metrics) > 0 {
		fmt.Fprintf(&h, ` <span style="color:#1f5f9f">%s</span>`, html.EscapeString(strings.Join(metrics, " ")))
	}
	h.WriteString("</div>")
	return output.Bundle{
		Data:     map[string]any{"text/plain": text.String(), "text/html": h.String()},
		Metadata: map[string]any{},
	}
}

func formatDuration(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

func formatRate(r float64) string {
	switch {
	case r == 0:
		return "? it/s"
	case r < 1:
		return fmt.Sprintf("%.2f s/it", 1/r)
	case r < 100:
		return fmt.Sprintf("%.2f it/s", r)
	}
	return fmt.Sprintf("%.0f it/s", r)
}

// LiveChart is a line chart of one or more series (training and
// validation loss, accuracy) redrawn in place as points arrive: as SVG at
// most twice a second while it runs, and as SVG and PNG when Done, so that
// a saved notebook shows the final chart. Each series is thinned to
// MaxPoints when drawn. It is shown from its first point on.
//
// A LiveChart is safe for concurrent use.
type LiveChart struct {
	mu      sync.Mutex
	h       *Handle
	title   string
	names   []string // series in the order they first appeared
	series  map[string]plotter.XYs
	done    bool
	pending bool
	th      throttle
}

// LiveChartInterval is the least time between two redraws of a LiveChart
// (after the first three).
const LiveChartInterval = 500 * time.Millisecond

// NewLiveChart returns a chart with a title; it is shown at its first
// point.
func NewLiveChart(title string) *LiveChart {
	return newLiveChart(title, time.Now)
}

func newLiveChart(title string, now func() time.Time) *LiveChart {
	return &LiveChart{title: title, series: map[string]plotter.XYs{},
		th: throttle{interval: LiveChartInterval, burst: 3, now: now}}
}

// Add appends the point (x, y) to the named series, creating it at its
// first point. Points whose y is NaN or infinite are kept out.
func (c *LiveChart) Add(series string, x, y float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if math.IsNaN(y) || math.IsInf(y, 0) || math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	if _, ok := c.series[series]; !ok {
		c.names = append(c.names, series)
	}
	c.series[series] = append(c.series[series], plotter.XY{X: x, Y: y})
	if c.done {
		return
	}
	if c.h == nil {
		c.th.count++
		c.th.last = c.th.now()
		c.h = New(c.bundle(false))
		return
	}
	if c.th.allow(c.flush) {
		c.pending = false
		c.h.Update(c.bundle(false))
		return
	}
	c.pending = true
}

// Done draws the final chart, as SVG and PNG.
func (c *LiveChart) Done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	c.th.stop()
	if c.h == nil {
		c.h = New(c.bundle(true))
		return
	}
	c.h.Update(c.bundle(true))
}

func (c *LiveChart) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || !c.pending {
		c.th.timer = nil
		return
	}
	if !c.th.due(c.flush) {
		return
	}
	c.pending = false
	c.th.published()
	c.h.Update(c.bundle(false))
}

// Plot returns the chart as it is now, as a gonum plot.
func (c *LiveChart) Plot() *plot.Plot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.plot()
}

func (c *LiveChart) plot() *plot.Plot {
	p := plot.New()
	p.Title.Text = c.title
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	for i, name := range c.names {
		l, err := plotter.NewLine(Thin(c.series[name], MaxPoints))
		if err != nil {
			panic(fmt.Errorf("display: live chart: %w", err))
		}
		l.Color = plotutil.Color(i)
		l.Width = 1.5
		p.Add(l)
		p.Legend.Add(name, l)
	}
	return p
}

// bundle draws the chart: SVG while running (cheap), SVG and PNG at the
// end. The caller holds c.mu.
func (c *LiveChart) bundle(final bool) output.Bundle {
	p := c.plot()
	var parts []string
	for _, name := range c.names {
		xys := c.series[name]
		last := xys[len(xys)-1]
		parts = append(parts, fmt.Sprintf("%s=%.4g at %.4g (%d points)", name, last.Y, last.X, len(xys)))
	}
	text := "<LiveChart" + titleSuffix(c.title)
	if len(parts) > 0 {
		text += ": " + strings.Join(parts, ", ")
	}
	text += ">"
	if final {
		return canvasBundle(plotWidth, plotHeight, text, p.Draw)
	}
	return output.Bundle{
		Data:     map[string]any{"image/svg+xml": drawSVG(plotWidth, plotHeight, func(dc draw.Canvas) { p.Draw(dc) }), "text/plain": text},
		Metadata: map[string]any{},
	}
}
