// Command bench prints gonn's figures for the workloads that
// ../shared/bench/torch_reference.py times in PyTorch, one JSON line per
// workload with the same fields, so that the two can be compared run by run.
//
// Usage:
//
//	go run ./bench [-only gemm,ops,mlp,cnn] [-threads N] [-epochs N] [-cpuprofile F]
//
// gemm (gemm512, gemm1024: float32 C = A*B of n x n matrices, timed like
// torch_reference.py) and ops (add64x64_per_op: a loop of c = a.Add(b) on
// 64x64 float32 tensors, run as a notebook cell through the interp package,
// us_per_op, and in compiled Go, compiled_us_per_op; call_us_per_op is a
// cell's loop of a.Numel(), the interpreter's own share), mlp
// (mnist_mlp_784_256_128_10_b64_sgdm) and cnn (mnist_lenet5_b64_adam:
// MNIST training as torch_reference.py's bench_mlp and bench_cnn, with
// seconds_per_epoch the fastest of -epochs epochs, test_accuracy and the
// process's peak_rss_mb so far). The bench runs under tensor.TuneGC, as
// the kernel does. -threads caps the goroutines
// one GEMM uses (default: GOMAXPROCS), for comparisons with a one-thread
// PyTorch (OPENBLAS_NUM_THREADS=1).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gonnlab/gonn/accel"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

var workloads = []string{"gemm", "ops", "mlp", "cnn"}

func main() {
	only := flag.String("only", strings.Join(workloads, ","),
		"comma-separated workloads to run: gemm, ops, mlp, cnn")
	threads := flag.Int("threads", 0, "goroutines per GEMM (0: GOMAXPROCS)")
	epochs := flag.Int("epochs", 1, "training epochs of mlp and cnn (the fastest is reported)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	selected, err := parseOnly(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		flag.Usage()
		os.Exit(2)
	}
	backend, err := accel.NewCPU(accel.CPUOptions{Threads: *threads})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if *cpuprofile != "" {
		stop, err := startProfile(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer stop()
	}
	tensor.TuneGC() // as the kernel does
	emit(map[string]any{"workload": "info", "backend": backend.Name(),
		"threads": backend.Threads(), "go": runtime.Version()})
	if selected["gemm"] {
		benchGemm(backend, 512, 50)
		benchGemm(backend, 1024, 20)
	}
	if selected["ops"] {
		if err := benchOps(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if selected["mlp"] || selected["cnn"] {
		if err := benchTraining(selected, *epochs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// parseOnly returns the set of workloads named in a comma-separated list.
func parseOnly(s string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, w := range strings.Split(s, ",") {
		w = strings.TrimSpace(w)
		known := false
		for _, k := range workloads {
			known = known || w == k
		}
		if !known {
			return nil, fmt.Errorf("unknown workload %q in -only (want some of %s)", w, strings.Join(workloads, ","))
		}
		set[w] = true
	}
	return set, nil
}

// benchGemm times C = A*B for n x n float32 matrices as torch_reference.py
// does: three warm-up calls, then the mean over reps calls.
func benchGemm(backend accel.Backend, n, reps int) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := make([]float32, n*n)
	b := make([]float32, n*n)
	c := make([]float32, n*n)
	for i := range a {
		a[i] = float32(rng.NormFloat64())
		b[i] = float32(rng.NormFloat64())
	}
	for i := 0; i < 3; i++ {
		backend.Sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
	}
	start := time.Now()
	for i := 0; i < reps; i++ {
		backend.Sgemm(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
	}
	dt := time.Since(start).Seconds() / float64(reps)
	emit(map[string]any{"workload": fmt.Sprintf("gemm%d", n), "seconds": dt,
		"gflops": 2 * float64(n) * float64(n) * float64(n) / dt / 1e9})
}

func emit(v map[string]any) {
	line, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("bench: encoding %v: %w", v, err))
	}
	fmt.Println(string(line))
}

// startProfile starts a CPU profile written to path and returns the
// function that stops it.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
