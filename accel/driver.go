package accel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gonnlab/gonn/interrupt"
)

// float is the element types the GEMM driver is instantiated for.
type float interface{ float32 | float64 }

// microKernel computes one mr x nr tile of C from a packed A panel (k steps of
// mr values) and a packed B panel (k steps of nr values):
// C = A*B + beta*C, without reading C when beta is zero. It trusts its
// inputs. kc and nc are the cache blocking used with it.
type microKernel[T float] struct {
	mr, nr int
	kc, nc int
	fn     func(k int, a, b, c *T, ldc int, beta T)
	tr     transposer[T] // nil: transpose in Go when packing
}

// kernelSet is one family of micro-kernels, float32 and float64.
type kernelSet struct {
	name string
	s    microKernel[float32]
	d    microKernel[float64]
	s8   *microKernel[float32] // nil, or an 8-row float32 kernel (see sgemmKernel)
}

// sgemmKernel returns the float32 kernel for a GEMM of m x n x k: s, or
// s8 if the GEMM runs on one goroutine (below parallelMinFlops) and s would
// pad the last panel of rows by more than 2% of m while s8 pads less (m =
// 64: 12 rows pad 8, 8 rows none). Measured with BenchmarkSgemmMLP at
// GOMAXPROCS=1, the MNIST MLP's 64x128x256 GEMMs take 42-43 us instead of
// 46-48; split across goroutines, where items of 8 rows are smaller, the
// 12-row kernel was not reliably slower.
func (ks *kernelSet) sgemmKernel(m, n, k, minParallel int) *microKernel[float32] {
	if minParallel == 0 {
		minParallel = parallelMinFlops
	}
	if ks.s8 == nil || m*n*k >= minParallel {
		return &ks.s
	}
	pad := func(mr int) int { return (m+mr-1)/mr*mr - m }
	if p := pad(ks.s.mr); p*50 > m && pad(ks.s8.mr) < p {
		return ks.s8
	}
	return &ks.s
}

// gemmArgs are the validated arguments of one GEMM call.
type gemmArgs[T float] struct {
	transA, transB bool
	m, n, k        int
	alpha          T
	a              []T
	lda            int
	b              []T
	ldb            int
	beta           T
	c              []T
	ldc            int
}

// parallelMinFlops is the m*n*k below which a GEMM runs on the calling
// goroutine alone: waking a helper costs a few microseconds.
const parallelMinFlops = 160 * 160 * 160

// maxPackedElems bounds each packed operand of one slab (see gemm): 8 MiB of
// float32, which covers 1024x1024 operands in one slab.
const maxPackedElems = 2 << 20

// gemm runs a validated GEMM with kernel kern on up to threads goroutines,
// if m*n*k is at least minParallel (parallelMinFlops when zero).
//
// The work is done slab by slab (one slab unless the operands are huge). The
// workers take items (a chunk of rows x a chunk of columns of C) from a
// shared counter; before each k block of an item, the worker packs the A and
// B panels it needs that nobody has packed yet, so each panel is packed once,
// by whoever needs it first, just before it is used. Items are handed out
// dynamically, so a worker slowed down by other processes on its core does
// less of the work instead of holding up the others, and no worker waits for
// another except while a panel it needs is being packed.
func gemm[T float](kern *microKernel[T], threads, minParallel int, args gemmArgs[T]) {
	m, n, k := args.m, args.n, args.k
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || args.alpha == 0 {
		scaleC(args.c, args.ldc, m, n, args.beta)
		return
	}
	if minParallel == 0 {
		minParallel = parallelMinFlops
	}
	if m*n*k < minParallel {
		threads = 1
	}
	mr, nr, kc := kern.mr, kern.nr, kern.kc
	// Slabs: k first, so that even one panel of rows or columns fits (a
	// GEMM of two long vectors), then rows and columns.
	kSlab := k
	if max(mr, nr)*k > maxPackedElems {
		kSlab = max(kc, maxPackedElems/max(mr, nr)/kc*kc)
	}
	rowSlab, colSlab := m, n
	if m*kSlab > maxPackedElems {
		rowSlab = max(mr, maxPackedElems/kSlab/mr*mr)
	}
	if n*kSlab > maxPackedElems {
		colSlab = max(nr, maxPackedElems/kSlab/nr*nr)
	}
	j := getJob[T]()
	defer func() {
		j.args, j.kern = gemmArgs[T]{}, nil
		putJob(j)
	}()
	for p0 := 0; p0 < k; p0 += kSlab {
		// C = alpha*A[:, p0:p0+kb]*B[p0:p0+kb, :] + beta*C, then beta = 1.
		j.args, j.kern = args, kern
		j.args.k = min(kSlab, k-p0)
		if p0 > 0 {
			j.args.beta = 1
			if args.transA {
				j.args.a = args.a[p0*args.lda:]
			} else {
				j.args.a = args.a[p0:]
			}
			if args.transB {
				j.args.b = args.b[p0:]
			} else {
				j.args.b = args.b[p0*args.ldb:]
			}
		}
		for i0 := 0; i0 < m; i0 += rowSlab {
			for j0 := 0; j0 < n; j0 += colSlab {
				j.run(threads, i0, min(rowSlab, m-i0), j0, min(colSlab, n-j0))
			}
		}
	}
}

// scaleC sets C = beta*C, writing zeros when beta is zero.
func scaleC[T float](c []T, ldc, m, n int, beta T) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		if beta != 1 {
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// bGroup is how many B panels one packing unit holds: B is read row by row
// across them.
const bGroup = 2

// job is one GEMM call's pooled state: its arguments, the packed slab and the
// counters its workers take work from.
type job[T float] struct {
	args gemmArgs[T]
	kern *microKernel[T]

	// The current slab: C[i0:i0+ms, j0:j0+ns], packed into apack and bpack.
	// K block pc (a multiple of kc) of A starts at apack[pc*mPad], and its
	// panel of rows i..i+mr at apack[pc*mPad+i*kb]; B likewise with nPad.
	i0, ms, j0, ns int
	mPad, nPad     int
	abuf, bbuf     []T
	apack, bpack   []T

	aUnits, packUnits  int             // A panels (per k block), then B panel groups
	packState          []atomic.Uint32 // per unit: unpacked, packing, packed
	rowChunk, colChunk int
	rowChunks, items   int
	itemNext           atomic.Int64
	aborted            atomic.Bool
	panicMu            sync.Mutex
	panicked           any
	workers            []worker[T]
	wg                 sync.WaitGroup
}

// worker is one goroutine's share of a job, with its scratch tile.
type worker[T float] struct {
	posting
	job  *job[T]
	tile []T
}

// posting is the dispatch state of a task that a caller may post to a
// helper: gen<<2 | posted, started or withdrawn.
type posting struct{ state atomic.Uint64 }

// start claims the dispatch gen for the helper that received it; it fails
// if the caller withdrew it.
func (p *posting) start(gen uint64) bool {
	return p.state.CompareAndSwap(gen<<2|posted, gen<<2|started)
}

// post sends t, whose posting p is, to a helper the caller has claimed,
// counting it in wg, which the task's run marks done.
func (p *posting) post(t task, wg *sync.WaitGroup) {
	gen := p.state.Load()>>2 + 1
	p.state.Store(gen<<2 | posted)
	wg.Add(1)
	helpers.sent.Add(1)
	helpers.tasks <- dispatch{t, gen}
}

// withdraw takes back a posted task that no helper has started (its thread
// may be descheduled for milliseconds) instead of waiting for it, marking
// it done in wg.
func (p *posting) withdraw(wg *sync.WaitGroup) {
	gen := p.state.Load() >> 2
	if p.state.CompareAndSwap(gen<<2|posted, gen<<2|withdrawn) {
		wg.Done()
	}
}

// task is what helper goroutines run: start claims a dispatch (it fails if
// the caller has withdrawn it), run does the work.
type task interface {
	start(gen uint64) bool
	run()
}

// dispatch is a task sent to a helper. gen tells a stale dispatch (one the
// caller withdrew, whose worker may be reused by a later GEMM) from the
// current one.
type dispatch struct {
	t   task
	gen uint64
}

// Dispatch states, in the low two bits of posting.state (the rest is gen);
// zero is a worker never dispatched.
const (
	posted uint64 = iota + 1
	started
	withdrawn
)

// run is how a helper runs a worker. The helper counts itself idle again
// before it reports the work done, so that a GEMM that follows at once finds
// it.
func (w *worker[T]) run() {
	defer w.job.wg.Done()
	defer helpers.idle.Add(1)
	w.work()
}

// run computes one slab on up to threads goroutines and panics if it was
// interrupted or a worker panicked.
func (j *job[T]) run(threads, i0, ms, j0, ns int) {
	kern, k := j.kern, j.args.k
	mr, nr, kc := kern.mr, kern.nr, kern.kc
	j.i0, j.ms, j.j0, j.ns = i0, ms, j0, ns
	j.mPad = (ms + mr - 1) / mr * mr
	j.nPad = (ns + nr - 1) / nr * nr
	j.apack = aligned(&j.abuf, j.mPad*k)
	j.bpack = aligned(&j.bbuf, j.nPad*k)
	kBlocks := (k + kc - 1) / kc
	j.aUnits = kBlocks * (j.mPad / mr)
	j.packUnits = j.aUnits + kBlocks*((j.nPad/nr+bGroup-1)/bGroup)
	if cap(j.packState) < j.packUnits {
		j.packState = make([]atomic.Uint32, j.packUnits)
	}
	j.packState = j.packState[:j.packUnits]
	for u := range j.packState {
		j.packState[u].Store(unpacked)
	}
	j.itemNext.Store(0)
	j.aborted.Store(false)
	j.panicked = nil

	// Items: chunks of rows and columns, small enough to share out.
	j.rowChunk = min(8*mr, j.mPad)
	j.colChunk = min(kern.nc, j.nPad)
	count := func() int {
		return (j.mPad + j.rowChunk - 1) / j.rowChunk * ((j.nPad + j.colChunk - 1) / j.colChunk)
	}
	for threads > 1 && count() < 4*threads {
		if j.colChunk >= 2*nr {
			j.colChunk = (j.colChunk/2 + nr - 1) / nr * nr
		} else if j.rowChunk >= 2*mr {
			j.rowChunk = (j.rowChunk/2 + mr - 1) / mr * mr
		} else {
			break
		}
	}
	threads = min(threads, count())
	j.rowChunks = (j.mPad + j.rowChunk - 1) / j.rowChunk
	j.items = count()

	for len(j.workers) < threads {
		j.workers = append(j.workers, worker[T]{})
	}
	for w := range j.workers[:threads] {
		j.workers[w].job = j
		j.workers[w].tile = aligned(&j.workers[w].tile, mr*nr)
	}
	if threads > 1 {
		ensureHelpers(threads - 1)
	}
	sent := 1
	for ; sent < threads; sent++ {
		if !claimHelper() {
			// No helper is idle (another GEMM is running): do without.
			break
		}
		j.workers[sent].post(&j.workers[sent], &j.wg)
	}
	j.workers[0].work()
	// Every item is taken: withdraw the dispatches no helper has started.
	for i := 1; i < sent; i++ {
		j.workers[i].withdraw(&j.wg)
	}
	j.wg.Wait()
	if j.panicked != nil {
		panic(j.panicked)
	}
	if j.aborted.Load() {
		panic(interrupt.ErrInterrupted)
	}
}

// work takes items until none are left or the job is aborted.
func (w *worker[T]) work() {
	j := w.job
	defer func() {
		if r := recover(); r != nil {
			j.panicMu.Lock()
			j.panicked = r
			j.panicMu.Unlock()
			j.abort()
		}
	}()
	for {
		it := int(j.itemNext.Add(1) - 1)
		if it >= j.items || j.aborted.Load() {
			return
		}
		j.compute(it, w.tile)
	}
}

// Packing unit states.
const (
	unpacked uint32 = iota
	packing
	packed
)

// claim packs unit u if nobody has claimed it yet.
func (j *job[T]) claim(u int) {
	st := &j.packState[u]
	if st.Load() == unpacked && st.CompareAndSwap(unpacked, packing) {
		j.pack(u)
		st.Store(packed)
	}
}

// await waits until unit u is packed. It reports false if the job was
// aborted meanwhile.
func (j *job[T]) await(u int) bool {
	st := &j.packState[u]
	for st.Load() != packed {
		if j.aborted.Load() {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// abort stops the job: workers finish the unit or item in hand and return.
func (j *job[T]) abort() { j.aborted.Store(true) }

// packFor makes sure the A panels of rows r0..r1 and the B panels of
// columns c0..c1 of the k block at pc are packed, packing those nobody has
// claimed yet. It reports false if the job was aborted or interrupted.
func (j *job[T]) packFor(pc, r0, r1, c0, c1 int) bool {
	if interrupt.Pending() {
		j.abort()
		return false
	}
	mr, nr, kc := j.kern.mr, j.kern.nr, j.kern.kc
	kBlock := pc / kc
	panels := j.mPad / mr
	a0, a1 := kBlock*panels+r0/mr, kBlock*panels+(r1+mr-1)/mr
	groups := (j.nPad/nr + bGroup - 1) / bGroup
	b0 := j.aUnits + kBlock*groups + c0/(bGroup*nr)
	b1 := j.aUnits + kBlock*groups + (c1+bGroup*nr-1)/(bGroup*nr)
	// First pack what nobody has claimed, then wait for the rest: workers
	// needing the same panels share the packing instead of queueing.
	for u := a0; u < a1; u++ {
		j.claim(u)
	}
	for u := b0; u < b1; u++ {
		j.claim(u)
	}
	for u := a0; u < a1; u++ {
		if !j.await(u) {
			return false
		}
	}
	for u := b0; u < b1; u++ {
		if !j.await(u) {
			return false
		}
	}
	return true
}

// pack packs unit u: an A panel of mr rows or a group of B panels, of one k
// block.
func (j *job[T]) pack(u int) {
	kern, args := j.kern, &j.args
	mr, nr, kc := kern.mr, kern.nr, kern.kc
	if u < j.aUnits {
		panels := j.mPad / mr
		pc := u / panels * kc
		kb := min(kc, args.k-pc)
		i := u % panels * mr
		packAPanel(j.apack[pc*j.mPad+i*kb:pc*j.mPad+(i+mr)*kb], args, j.i0+i, min(mr, j.ms-i), pc, kb, mr, kern.tr)
		return
	}
	u -= j.aUnits
	groups := (j.nPad/nr + bGroup - 1) / bGroup
	pc := u / groups * kc
	kb := min(kc, args.k-pc)
	c := u % groups * bGroup * nr
	cols := min(bGroup*nr, j.ns-c)
	packBGroup(j.bpack[pc*j.nPad+c*kb:], args, pc, kb, j.j0+c, cols, nr, kern.tr)
}

// compute computes item it: C rows r0..r1 and columns c0..c1 of the slab,
// all of k. For each k block, each A panel of the item stays in L1 while it
// meets every B panel of the item, which stay in L2.
func (j *job[T]) compute(it int, tile []T) {
	kern, args := j.kern, &j.args
	mr, nr, kc, fn := kern.mr, kern.nr, kern.kc, kern.fn
	// Items go down a column chunk first, so that workers busy at the same
	// time share B panels (read-only, in both L2s) and pack A panels apart.
	r0 := it % j.rowChunks * j.rowChunk
	c0 := it / j.rowChunks * j.colChunk
	r1 := min(r0+j.rowChunk, j.ms)
	c1 := min(c0+j.colChunk, j.ns)
	c, ldc := args.c, args.ldc
	for pc := 0; pc < args.k; pc += kc {
		kb := min(kc, args.k-pc)
		beta := args.beta
		if pc > 0 {
			beta = 1
		}
		if !j.packFor(pc, r0, r1, c0, c1) {
			return
		}
		ablock := j.apack[pc*j.mPad:]
		bblock := j.bpack[pc*j.nPad:]
		for ir := r0; ir < r1; ir += mr {
			rows := min(mr, r1-ir)
			a := &ablock[ir*kb]
			for jr := c0; jr < c1; jr += nr {
				cols := min(nr, c1-jr)
				b := &bblock[jr*kb]
				off := (j.i0+ir)*ldc + j.j0 + jr
				if rows == mr && cols == nr {
					fn(kb, a, b, &c[off], ldc, beta)
					continue
				}
				// Edge tile: compute it whole into tile, copy what fits.
				fn(kb, a, b, &tile[0], nr, 0)
				for i := 0; i < rows; i++ {
					dst := c[off+i*ldc : off+i*ldc+cols]
					src := tile[i*nr : i*nr+cols]
					if beta == 0 {
						copy(dst, src)
						continue
					}
					for x, v := range src {
						dst[x] = v + beta*dst[x]
					}
				}
			}
		}
	}
}

var jobPools [2]sync.Pool // float32, float64

func getJob[T float]() *job[T] {
	var z T
	p := &jobPools[unsafe.Sizeof(z)/8]
	if j, ok := p.Get().(*job[T]); ok {
		return j
	}
	return new(job[T])
}

func putJob[T float](j *job[T]) {
	var z T
	jobPools[unsafe.Sizeof(z)/8].Put(j)
}

// Helper goroutines run parts of large GEMMs. They are started on first need,
// one per extra thread ever asked for, and then wait for work for the life of
// the process. After each task a helper polls for the next one for
// helperSpin before it parks: a parked helper on an idle virtual CPU was seen
// to join a GEMM tens to hundreds of microseconds late here (a 512x512 GEMM
// takes ~1.3 ms), while back-to-back GEMMs (a benchmark, a training step)
// find a polling helper at once. A training step has stretches of
// one-goroutine work longer than 200 us between its large GEMMs (the MNIST
// MLP's has ~250 us between the first layer's forward and weight-gradient
// GEMMs); with a 200 us poll the weight-gradient GEMM took 60 us more than
// when repeated at once, with 2 ms 25 us (timed in the bench command's MLP
// workload).
var helpers struct {
	mu    sync.Mutex
	count int
	idle  atomic.Int32  // helpers waiting for a task that no caller has claimed
	tasks chan dispatch // buffered: a caller sends only after claiming an idle helper
	sent  atomic.Int64  // tasks ever sent, for tests
}

const (
	maxHelpers = 255
	helperSpin = 2 * time.Millisecond
)

func init() { helpers.tasks = make(chan dispatch, maxHelpers) }

// ensureHelpers starts helpers until there are n (at most maxHelpers).
func ensureHelpers(n int) {
	helpers.mu.Lock()
	defer helpers.mu.Unlock()
	for ; helpers.count < min(n, maxHelpers); helpers.count++ {
		go helperLoop()
	}
}

func helperLoop() {
	helpers.idle.Add(1)
	for {
		d := helperWait()
		if d.t.start(d.gen) {
			d.t.run()
		} else {
			helpers.idle.Add(1)
		}
	}
}

// helperWait returns the next task: polling for helperSpin, then parked.
func helperWait() dispatch {
	start := time.Now()
	for i := 0; ; i++ {
		select {
		case t := <-helpers.tasks:
			return t
		default:
		}
		if i%64 == 63 && time.Since(start) > helperSpin {
			return <-helpers.tasks
		}
		runtime.Gosched()
	}
}

// claimHelper reserves an idle helper, reporting false if none is idle.
func claimHelper() bool {
	for {
		n := helpers.idle.Load()
		if n <= 0 {
			return false
		}
		if helpers.idle.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// aligned returns a slice of n elements of buf, reallocating it if needed,
// starting on a 64-byte boundary.
func aligned[T float](buf *[]T, n int) []T {
	var z T
	pad := 64 / int(unsafe.Sizeof(z))
	if cap(*buf) < n+pad {
		*buf = make([]T, n+pad)
	}
	b := (*buf)[:cap(*buf)]
	off := int(uintptr(unsafe.Pointer(&b[0]))%64) / int(unsafe.Sizeof(z))
	if off != 0 {
		off = pad - off
	}
	return b[off : off+n]
}

// packAPanel packs rows i..i+rows of op(A), columns pc..pc+kb, times alpha,
// into the panel dst: dst[p*mr+r] = alpha*op(A)[i+r][pc+p], zero for rows
// past rows.
func packAPanel[T float](dst []T, args *gemmArgs[T], i, rows, pc, kb, mr int, tr transposer[T]) {
	a, lda, alpha := args.a, args.lda, args.alpha
	if args.transA {
		// op(A)[i][p] = a[p*lda+i]: each p is a contiguous run of rows.
		for p := 0; p < kb; p++ {
			src := a[(pc+p)*lda+i : (pc+p)*lda+i+rows]
			d := dst[p*mr : p*mr+mr]
			if alpha == 1 {
				copy(d, src)
			} else {
				for r, v := range src {
					d[r] = alpha * v
				}
			}
			clear(d[rows:])
		}
		return
	}
	// op(A)[i][p] = a[i*lda+p]: transpose the rows into the panel.
	transposeInto(dst, a[i*lda+pc:], lda, rows, mr, kb, tr)
	if alpha != 1 {
		for r := range dst {
			dst[r] *= alpha
		}
	}
}

// packBGroup packs columns col..col+cols of op(B), rows pc..pc+kb, into
// consecutive panels of nr columns starting at dst: panel q holds
// op(B)[pc+p][col+q*nr+x] at dst[q*nr*kb+p*nr+x], zero past cols.
func packBGroup[T float](dst []T, args *gemmArgs[T], pc, kb, col, cols, nr int, tr transposer[T]) {
	b, ldb := args.b, args.ldb
	if !args.transB {
		// op(B)[p][j] = b[p*ldb+j]: deal each stored row out to the panels,
		// reading B sequentially.
		var z T
		rowBytes := nr * int(unsafe.Sizeof(z))
		full := cols / nr * nr
		for p := 0; p < kb; p++ {
			row := b[(pc+p)*ldb+col : (pc+p)*ldb+col+cols]
			q := 0
			// Whole panel rows as fixed-size copies: memmove costs more
			// than the copy at these sizes.
			switch rowBytes {
			case 128:
				for ; q < full; q += nr {
					*(*[16]uint64)(unsafe.Pointer(&dst[q*kb+p*nr])) = *(*[16]uint64)(unsafe.Pointer(&row[q]))
				}
			case 64:
				for ; q < full; q += nr {
					*(*[8]uint64)(unsafe.Pointer(&dst[q*kb+p*nr])) = *(*[8]uint64)(unsafe.Pointer(&row[q]))
				}
			}
			for ; q < cols; q += nr {
				d := dst[q*kb+p*nr : q*kb+p*nr+nr]
				n := copy(d, row[q:])
				clear(d[n:])
			}
		}
		return
	}
	// op(B)[p][j] = b[j*ldb+p]: transpose nr stored rows into each panel.
	for q := 0; q < cols; q += nr {
		transposeInto(dst[q*kb:(q+nr)*kb], b[(col+q)*ldb+pc:], ldb, min(nr, cols-q), nr, kb, tr)
	}
}

// transposeInto sets panel[p*w+i] = src[i*ld+p] for i < rows, p < kb, and
// zero for rows <= i < w (w <= maxPanel). With tr (an assembly 16x16
// transpose) it does whole 16-column chunks with it. Otherwise it works in
// chunks of 16 steps of p, copied row by row into a small buffer first: rows
// a power of two apart share L1 sets, and reading them side by side element
// by element would thrash.
func transposeInto[T float](panel, src []T, ld, rows, w, kb int, tr transposer[T]) {
	const chunk = 16
	p0 := 0
	if tr != nil {
		for ; p0+chunk <= kb; p0 += chunk {
			for g := 0; g < w; g += 16 {
				rg := min(16, max(0, rows-g))
				s := &src[0]
				if rg > 0 {
					s = &src[g*ld+p0]
				}
				tr(&panel[p0*w+g], w, s, ld, rg, 1<<min(16, w-g)-1)
			}
		}
	}
	var t [maxPanel][chunk]T
	for ; p0 < kb; p0 += chunk {
		c := min(chunk, kb-p0)
		for i := 0; i < rows; i++ {
			copy(t[i][:c], src[i*ld+p0:i*ld+p0+c])
		}
		if w == 12 && rows == 12 {
			for pp := 0; pp < c; pp++ {
				d := panel[(p0+pp)*12 : (p0+pp)*12+12 : (p0+pp)*12+12]
				d[0], d[1], d[2], d[3], d[4], d[5] = t[0][pp], t[1][pp], t[2][pp], t[3][pp], t[4][pp], t[5][pp]
				d[6], d[7], d[8], d[9], d[10], d[11] = t[6][pp], t[7][pp], t[8][pp], t[9][pp], t[10][pp], t[11][pp]
			}
			continue
		}
		for pp := 0; pp < c; pp++ {
			d := panel[(p0+pp)*w : (p0+pp)*w+w]
			for i := range rows {
				d[i] = t[i][pp]
			}
			clear(d[rows:])
		}
	}
}

// transposer transposes a block of rows x 16 (rows <= 16) into 16 rows of
// dst with stride ldd, storing only the elements set in mask: see
// transpose16x16F32.
type transposer[T float] func(dst *T, ldd int, src *T, lds int, rows int, mask int)

// maxPanel is the widest panel of any micro-kernel (mr or nr).
const maxPanel = 32
