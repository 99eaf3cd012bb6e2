package display

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// safeRecorder is a recorder that timers may publish to.
type safeRecorder struct {
	mu sync.Mutex
	recorder
}

func (r *safeRecorder) Display(b output.Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recorder.Display(b, id, update)
}

func (r *safeRecorder) outputs() []shown {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]shown{}, r.shown...)
}

func captureSafe(t *testing.T) *safeRecorder {
	r := &safeRecorder{}
	prev := output.SetCurrent(r)
	t.Cleanup(func() { output.SetCurrent(prev) })
	return r
}

// checkUpdates checks that outputs are one display and then updates of
// it, each a valid bundle, and returns the text/plain of each.
func checkUpdates(t *testing.T, outs []shown) []string {
	t.Helper()
	var texts []string
	for i, o := range outs {
		checkBundle(t, o.b)
		if o.id == "" || o.id != outs[0].id || o.update != (i > 0) {
			t.Fatalf("output %d: id %q update %v; want one display then updates of it", i, o.id, o.update)
		}
		texts = append(texts, o.b.Data["text/plain"].(string))
	}
	return texts
}

func TestProgressRateLimit(t *testing.T) {
	r := captureSafe(t)
	clock := newClock()
	p := newProgress(1000, "epoch 1", clock.now)
	for i := 0; i < 1000; i++ {
		clock.advance(time.Millisecond)
		p.Add(1)
		if i%100 == 0 {
			p.SetMetrics(map[string]float64{"loss": 1 / float64(i+1)})
		}
	}
	p.Done() // already final: no further output
	texts := checkUpdates(t, r.outputs())
	// The display, two more of the first three, one per 200 ms of the
	// second, and the final state.
	if n := len(texts); n < 6 || n > 3+1000/200+1 {
		t.Errorf("%d updates for 1000 steps in 1 s:\n%s", n, strings.Join(texts, "\n"))
	}
	if !strings.HasPrefix(texts[0], "epoch 1:   0% |░░░░") || !strings.Contains(texts[0], " 0/1000 [00:00, ? it/s]") {
		t.Errorf("first: %q", texts[0])
	}
	if texts[1] != "epoch 1:   0% |░░░░░░░░░░░░░░░░░░░░| 1/1000 [00:00<00:01, 1000 it/s]" {
		t.Errorf("second: %q", texts[1])
	}
	last := texts[len(texts)-1]
	if want := "epoch 1: 100% |████████████████████| 1000/1000 [00:01, 1000 it/s] loss=0.00111"; last != want {
		t.Errorf("last: %q\nwant  %q", last, want)
	}
	final := r.outputs()[len(texts)-1].b.Data["text/html"].(string)
	if !strings.Contains(final, `<progress value="1000" max="1000"`) || !strings.Contains(final, "loss=0.00111") {
		t.Errorf("final html: %s", final)
	}
}

func TestProgressTrailingUpdate(t *testing.T) {
	r := captureSafe(t)
	p := NewProgress(0, "")
	for range 10 {
		p.Add(1)
	}
	if n := len(r.outputs()); n != 3 {
		t.Fatalf("%d outputs right after 10 quick steps, want 3 (the first few)", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(r.outputs()) < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	texts := checkUpdates(t, r.outputs())
	if len(texts) != 4 || !strings.HasPrefix(texts[3], "10 [00:00, ") {
		t.Fatalf("after the interval: %q, want a fourth update showing 10 steps", texts)
	}
	p.Set(20)
	p.Done()
	p.Done()
	p.Add(5)
	time.Sleep(2 * ProgressInterval)
	texts = checkUpdates(t, r.outputs())
	if len(texts) != 5 || !strings.HasPrefix(texts[4], "20 [") || strings.Contains(texts[4], "<") {
		t.Errorf("after Done: %q, want one final update showing 20 steps and no time left", texts)
	}
	if p.Count() != 25 {
		t.Errorf("Count = %d", p.Count())
	}
}

func TestProgressOutsideCell(t *testing.T) {
	p := NewProgress(3, "quiet")
	p.Add(3)
	p.Done()
}

// TestProgressOverhead checks that Add on every step of a loop is cheap
// next to a step: under 1 us per call, 2% of a 50 us step (a small
// training step). BenchmarkTrainingStep measures the loop itself.
func TestProgressOverhead(t *testing.T) {
	captureSafe(t)
	p := NewProgress(1<<30, "steps")
	const n = 200000
	start := time.Now()
	for range n {
		p.Add(1)
	}
	per := time.Since(start) / n
	p.Done()
	t.Logf("Progress.Add: %v per call", per)
	if per > time.Microsecond {
		t.Errorf("Progress.Add costs %v per call, want < 1us", per)
	}
}

func TestLiveChart(t *testing.T) {
	r := captureSafe(t)
	clock := newClock()
	c := newLiveChart("loss", clock.now)
	for i := 0; i < 10000; i++ {
		clock.advance(time.Millisecond)
		c.Add("train", float64(i), 1/float64(i+1))
		if i%1000 == 999 {
			c.Add("validation", float64(i), 1.5/float64(i+1))
		}
	}
	c.Add("train", 1e4, 0/func() float64 { return 0 }()) // NaN is kept out
	c.Done()
	outs := r.outputs()
	texts := checkUpdates(t, outs)
	if n := len(texts); n < 10 || n > 3+10000/500+1 {
		t.Errorf("%d redraws for 10 s of points", n)
	}
	for i, o := range outs {
		_, png := o.b.Data["image/png"]
		if _, ok := o.b.Data["text/html"]; ok {
			t.Errorf("redraw %d carries text/html", i)
		}
		if png != (i == len(outs)-1) {
			t.Errorf("redraw %d: PNG %v, want it only in the final one", i, png)
		}
		if _, ok := o.b.Data["image/svg+xml"]; !ok {
			t.Errorf("redraw %d lacks SVG", i)
		}
	}
	want := `<LiveChart "loss": train=0.0001 at 9999 (10000 points), validation=0.00015 at 9999 (10 points)>`
	if texts[len(texts)-1] != want {
		t.Errorf("final text %q\nwant       %q", texts[len(texts)-1], want)
	}
	if svg := outs[len(outs)-1].b.Data["image/svg+xml"].(string); len(svg) > 400<<10 {
		t.Errorf("final SVG is %d bytes: series not thinned?", len(svg))
	}
}

func TestLiveChartEmpty(t *testing.T) {
	r := captureSafe(t)
	c := NewLiveChart("nothing")
	c.Done()
	texts := checkUpdates(t, r.outputs())
	if len(texts) != 1 || texts[0] != `<LiveChart "nothing">` {
		t.Errorf("empty chart: %q", texts)
	}
	if c.Plot() == nil {
		t.Error("no plot")
	}
}

// step is a small training step: a 32x256 by 256x64 matrix product and its
// sum, about 50 us here.
func step(x, w *tensor.Tensor) { x.MatMul(w).Sum() }

func BenchmarkTrainingStep(b *testing.B) {
	x, w := tensor.Randn(32, 256), tensor.Randn(256, 64)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			step(x, w)
		}
	})
	b.Run("progress", func(b *testing.B) {
		p := NewProgress(1<<30, "train")
		for b.Loop() {
			step(x, w)
			p.Add(1)
		}
		p.Done()
	})
}

func BenchmarkProgressAdd(b *testing.B) {
	p := NewProgress(1<<30, "train")
	for b.Loop() {
		p.Add(1)
	}
	p.Done()
}

func BenchmarkLiveChartRedraw(b *testing.B) {
	c := newLiveChart("loss", time.Now)
	for i := range 5000 {
		c.Add("train", float64(i), 1/float64(i+1))
	}
	for b.Loop() {
		c.bundle(false)
	}
}

// TestThrottleDue: a trailing flush that runs within the interval of the
// last published update (one was published while it waited for the lock)
// does not publish, and arms itself for the rest of the interval; an
// allowed update cancels a trailing one armed before it.
func TestThrottleDue(t *testing.T) {
	now := time.Unix(1000, 0)
	th := &throttle{interval: 200 * time.Millisecond, now: func() time.Time { return now }}
	noop := func() {}
	if !th.allow(noop) {
		t.Fatal("first update not allowed")
	}
	now = now.Add(50 * time.Millisecond)
	if th.allow(noop) {
		t.Fatal("update 50ms after the last allowed")
	}
	if th.timer == nil {
		t.Fatal("a skipped update armed no trailing timer")
	}
	now = now.Add(200 * time.Millisecond)
	if !th.allow(noop) {
		t.Fatal("update 250ms after the last not allowed")
	}
	if th.timer != nil {
		t.Error("an allowed update left the earlier trailing timer armed")
	}
	now = now.Add(10 * time.Millisecond)
	if th.due(noop) {
		t.Error("due 10ms after the last update")
	}
	if th.timer == nil {
		t.Error("due did not re-arm the timer")
	}
	th.stop()
	now = now.Add(200 * time.Millisecond)
	if !th.due(noop) {
		t.Error("not due 210ms after the last update")
	}
}
