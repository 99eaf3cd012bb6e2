package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

func checkFrac(op string, frac float64) {
	if !(frac > 0 && frac < 1) {
		fail(op, "test fraction %v is not in (0, 1)", frac)
	}
}

// RandomSplit splits d at random into a training set and a test set of
// round(testFrac*N) examples. Both keep d's order; the choice depends only
// on seed.
func RandomSplit(d *TensorDataset, testFrac float64, seed uint64) (train, test *TensorDataset) {
	checkFrac("random_split", testFrac)
	n := d.Len()
	perm := rand.New(rand.NewPCG(seed, 0)).Perm(n)
	k := int(math.Round(testFrac * float64(n)))
	testIdx, trainIdx := slices.Clone(perm[:k]), slices.Clone(perm[k:])
	slices.Sort(testIdx)
	slices.Sort(trainIdx)
	return d.Subset(trainIdx), d.Subset(testIdx)
}

// StratifiedSplit splits d, whose targets are Int labels, into a training
// and a test set so that every class keeps its proportion: the test set
// has round(testFrac*N) examples, and each class c of n_c examples gives
// it floor or ceil of testFrac*n_c of them (the remainder goes to the
// classes with the largest fractional parts). Within a class the examples
// are chosen at random from seed; both sets keep d's order.
//
//	train, test := data.StratifiedSplit(data.Digits(), 0.2, 1)
func StratifiedSplit(d *TensorDataset, testFrac float64, seed uint64) (train, test *TensorDataset) {
	const op = "stratified_split"
	checkFrac(op, testFrac)
	d.needLabels(op)
	labels := d.y.IntData()
	byClass := make([][]int, d.classes)
	for i, c := range labels {
		byClass[c] = append(byClass[c], i)
	}
	total := int(math.Round(testFrac * float64(len(labels))))
	quota := make([]int, d.classes)
	type rem struct {
		class int
		frac  float64
	}
	var rems []rem
	given := 0
	for c, idx := range byClass {
		exact := testFrac * float64(len(idx))
		quota[c] = int(math.Floor(exact))
		given += quota[c]
		rems = append(rems, rem{c, exact - math.Floor(exact)})
	}
	sort.SliceStable(rems, func(i, j int) bool { return rems[i].frac > rems[j].frac })
	for i := 0; given < total && i < len(rems); i++ {
		quota[rems[i].class]++
		given++
	}
	r := rand.New(rand.NewPCG(seed, 0))
	var trainIdx, testIdx []int
	for c, idx := range byClass {
		idx = slices.Clone(idx)
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		testIdx = append(testIdx, idx[:quota[c]]...)
		trainIdx = append(trainIdx, idx[quota[c]:]...)
	}
	slices.Sort(testIdx)
	slices.Sort(trainIdx)
	return d.Subset(trainIdx), d.Subset(testIdx)
}
