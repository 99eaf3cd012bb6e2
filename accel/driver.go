package accel

import (
	"sync"
	"unsafe"

	"github.com/gonnlab/gonn/interrupt"
)

// float is the element types the GEMM driver is instantiated for.
type float interface{ float32 | float64 }

// microKernel computes one mr x nr tile of C from a packed A panel (k steps of
// mr values) and a packed B panel (k steps of nr values):
// C = A*B + beta*C, without reading C when beta is zero. It trusts its
// inputs. kc, mc and nc are the cache blocking used with it.
type microKernel[T float] struct {
	mr, nr     int
	kc, mc, nc int
	fn         func(k int, a, b, c *T, ldc int, beta T)
}

// kernelSet is one family of micro-kernels, float32 and float64.
type kernelSet struct {
	name string
	s    microKernel[float32]
	d    microKernel[float64]
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
const parallelMinFlops = 96 * 96 * 96

// gemm runs a validated GEMM with kernel kern on up to threads goroutines.
func gemm[T float](kern *microKernel[T], threads int, args gemmArgs[T]) {
	m, n, k := args.m, args.n, args.k
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || args.alpha == 0 {
		scaleC(args.c, args.ldc, m, n, args.beta)
		return
	}
	j := getJob[T]()
	j.args = args
	parts := 1
	splitM := true
	if threads > 1 && m*n*k >= parallelMinFlops {
		switch {
		case m >= threads*kern.mr*2:
			parts = threads
		case n >= threads*kern.nr*2:
			parts, splitM = threads, false
		}
	}
	j.grow(parts)
	// Split rows (or columns) into parts of whole micro-tiles.
	unit, total := kern.mr, m
	if !splitM {
		unit, total = kern.nr, n
	}
	tiles := (total + unit - 1) / unit
	for p := 0; p < parts; p++ {
		lo := tiles * p / parts * unit
		hi := min(tiles*(p+1)/parts*unit, total)
		t := &j.tasks[p]
		t.job, t.kern = j, kern
		t.i0, t.i1, t.j0, t.j1 = 0, m, 0, n
		if splitM {
			t.i0, t.i1 = lo, hi
		} else {
			t.j0, t.j1 = lo, hi
		}
		t.aborted, t.panicked = false, nil
	}
	j.wg.Add(parts)
	if parts > 1 {
		ensureHelpers(parts - 1)
	}
	j.inline = j.inline[:0]
	for p := 1; p < parts; p++ {
		select {
		case helperTasks <- &j.tasks[p]:
		default:
			// No helper is idle (another GEMM runs concurrently): do it here.
			j.inline = append(j.inline, p)
		}
	}
	j.tasks[0].run()
	for _, p := range j.inline {
		j.tasks[p].run()
	}
	j.wg.Wait()
	aborted := false
	var panicked any
	for p := 0; p < parts; p++ {
		aborted = aborted || j.tasks[p].aborted
		if j.tasks[p].panicked != nil {
			panicked = j.tasks[p].panicked
		}
		j.tasks[p].job = nil
	}
	j.args = gemmArgs[T]{}
	putJob(j)
	if panicked != nil {
		panic(panicked)
	}
	if aborted {
		panic(interrupt.ErrInterrupted)
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

// job is one GEMM call's pooled state: its arguments and one task per part.
type job[T float] struct {
	args   gemmArgs[T]
	tasks  []task[T]
	inline []int
	wg     sync.WaitGroup
}

func (j *job[T]) grow(parts int) {
	for len(j.tasks) < parts {
		j.tasks = append(j.tasks, task[T]{})
	}
}

// task computes the block C[i0:i1, j0:j1] of a job with its own packing
// buffers.
type task[T float] struct {
	job            *job[T]
	kern           *microKernel[T]
	i0, i1, j0, j1 int
	aborted        bool
	panicked       any
	ws             workspace[T]
}

// runner is what helper goroutines receive.
type runner interface{ run() }

func (t *task[T]) run() {
	defer t.job.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			t.panicked = r
		}
	}()
	t.aborted = gemmBlock(&t.ws, t.kern, &t.job.args, t.i0, t.i1, t.j0, t.j1)
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
// the process.
var (
	helperMu    sync.Mutex
	helperCount int
	helperTasks = make(chan runner)
)

func ensureHelpers(n int) {
	helperMu.Lock()
	defer helperMu.Unlock()
	for ; helperCount < n; helperCount++ {
		go func() {
			for t := range helperTasks {
				t.run()
			}
		}()
	}
}

// workspace holds one task's packing buffers, reused across calls.
type workspace[T float] struct {
	abuf, bbuf []T
	tile       []T
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

// gemmBlock computes C[i0:i1, j0:j1] of the GEMM in args. It reports true if
// it stopped early because an interrupt is pending.
//
// Loops, outer to inner: k in blocks of kc (C accumulates across them), rows
// in blocks of mc (pack the A block, alpha folded in, mr-row panels), columns
// in blocks of nc (pack the B block, nr-column panels: it stays in L2), then
// each A panel against each B panel with the micro-kernel (the A panel stays
// in L1 across the B panels).
func gemmBlock[T float](ws *workspace[T], kern *microKernel[T], args *gemmArgs[T], i0, i1, j0, j1 int) bool {
	mr, nr := kern.mr, kern.nr
	ws.tile = aligned(&ws.tile, mr*nr)
	for pc := 0; pc < args.k; pc += kern.kc {
		kb := min(kern.kc, args.k-pc)
		beta := args.beta
		if pc > 0 {
			beta = 1
		}
		for ic := i0; ic < i1; ic += kern.mc {
			mb := min(kern.mc, i1-ic)
			if interrupt.Pending() {
				return true
			}
			ap := aligned(&ws.abuf, (mb+mr-1)/mr*mr*kb)
			packA(ap, args, ic, mb, pc, kb, mr)
			for jc := j0; jc < j1; jc += kern.nc {
				nb := min(kern.nc, j1-jc)
				if interrupt.Pending() {
					return true
				}
				bp := aligned(&ws.bbuf, (nb+nr-1)/nr*nr*kb)
				packB(bp, args, pc, kb, jc, nb, nr)
				macroKernel(kern, ws.tile, kb, mb, nb, ap, bp, args.c[ic*args.ldc+jc:], args.ldc, beta)
			}
		}
	}
	return false
}

// macroKernel multiplies a packed mb x kb A block by a packed kb x nb B block
// into C (C = A*B + beta*C), tile by tile. Edge tiles go through tile, a
// scratch mr x nr buffer, so that the micro-kernel never writes outside C.
func macroKernel[T float](kern *microKernel[T], tile []T, kb, mb, nb int, ap, bp, c []T, ldc int, beta T) {
	mr, nr, fn := kern.mr, kern.nr, kern.fn
	for ir := 0; ir < mb; ir += mr {
		rows := min(mr, mb-ir)
		a := &ap[ir*kb]
		for jr := 0; jr < nb; jr += nr {
			cols := min(nr, nb-jr)
			b := &bp[jr*kb]
			if rows == mr && cols == nr {
				fn(kb, a, b, &c[ir*ldc+jr], ldc, beta)
				continue
			}
			fn(kb, a, b, &tile[0], nr, 0)
			for i := 0; i < rows; i++ {
				dst := c[(ir+i)*ldc+jr : (ir+i)*ldc+jr+cols]
				src := tile[i*nr : i*nr+cols]
				if beta == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src {
					dst[j] = v + beta*dst[j]
				}
			}
		}
	}
}

// packA packs rows ic..ic+mb of op(A), columns pc..pc+kb, times alpha, into
// dst as panels of mr rows: panel q holds, for each p, the mr values
// op(A)[ic+q*mr+i][pc+p] at dst[q*mr*kb+p*mr+i]. Rows past mb are zero.
func packA[T float](dst []T, args *gemmArgs[T], ic, mb, pc, kb, mr int) {
	a, lda, alpha := args.a, args.lda, args.alpha
	for q := 0; q < mb; q += mr {
		panel := dst[q*kb : (q+mr)*kb]
		rows := min(mr, mb-q)
		if args.transA {
			// op(A)[i][p] = a[p*lda+i]: each p is a contiguous run of rows.
			for p := 0; p < kb; p++ {
				src := a[(pc+p)*lda+ic+q : (pc+p)*lda+ic+q+rows]
				d := panel[p*mr : p*mr+mr]
				if alpha == 1 {
					copy(d, src)
				} else {
					for i, v := range src {
						d[i] = alpha * v
					}
				}
				clear(d[rows:])
			}
			continue
		}
		// op(A)[i][p] = a[i*lda+p]: transpose the mr rows into the panel.
		off := (ic+q)*lda + pc
		transposeInto(panel, a[off:], lda, rows, mr, kb)
		if alpha != 1 {
			for i := range panel {
				panel[i] *= alpha
			}
		}
	}
}

// transposeInto sets panel[p*w+i] = src[i*ld+p] for i < rows, p < kb, and
// zero for rows <= i < w (w <= maxPanel). It works in chunks of 16 steps of p,
// copied row by row into a small buffer first: rows a power of two apart share
// L1 sets, and reading them side by side element by element would thrash.
func transposeInto[T float](panel, src []T, ld, rows, w, kb int) {
	const chunk = 16
	var t [maxPanel][chunk]T
	for p0 := 0; p0 < kb; p0 += chunk {
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

// maxPanel is the widest panel of any micro-kernel (mr or nr).
const maxPanel = 32

// packB packs rows pc..pc+kb and columns jc..jc+nb of op(B) into dst as panels
// of nr columns: panel q holds op(B)[pc+p][jc+q*nr+j] at dst[q*nr*kb+p*nr+j].
// Columns past nb are zero.
func packB[T float](dst []T, args *gemmArgs[T], pc, kb, jc, nb, nr int) {
	b, ldb := args.b, args.ldb
	if !args.transB {
		// op(B)[p][j] = b[p*ldb+j]: deal each stored row out to the panels,
		// reading B sequentially.
		for p := 0; p < kb; p++ {
			row := b[(pc+p)*ldb+jc : (pc+p)*ldb+jc+nb]
			for q := 0; q < nb; q += nr {
				d := dst[q*kb+p*nr : q*kb+p*nr+nr]
				n := copy(d, row[q:])
				clear(d[n:])
			}
		}
		return
	}
	// op(B)[p][j] = b[j*ldb+p]: transpose nr stored rows into each panel.
	for q := 0; q < nb; q += nr {
		off := (jc+q)*ldb + pc
		transposeInto(dst[q*kb:(q+nr)*kb], b[off:], ldb, min(nr, nb-q), nr, kb)
	}
}
