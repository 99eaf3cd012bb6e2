package data

import "testing"

// BenchmarkMNISTEpoch reads one shuffled epoch of MNIST in batches of 64
// (938 batches): the loader's whole cost per epoch, to set against an
// epoch of training (PyTorch's MLP takes about 1.7 s here).
func BenchmarkMNISTEpoch(b *testing.B) {
	train, _ := loadMNIST(b)
	l := NewLoader(train, 64, Shuffle(1))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		for l.Next() {
			n++
		}
		if n != 938 {
			b.Fatalf("%d batches", n)
		}
	}
}

// BenchmarkMNISTEpochAugmented is BenchmarkMNISTEpoch with a shift,
// rotation and noise on every image.
func BenchmarkMNISTEpochAugmented(b *testing.B) {
	train, _ := loadMNIST(b)
	l := NewLoader(train, 64, Shuffle(1), Augment(NewAugmenter(28, 28, 1).Shift(2).Rotate(10).Noise(0.05)))
	b.ResetTimer()
	for range b.N {
		for l.Next() {
		}
	}
}

// BenchmarkLoadMNIST reads and decodes the four files.
func BenchmarkLoadMNIST(b *testing.B) {
	dir, err := MNISTDir()
	if err != nil {
		b.Skip(err)
	}
	for range b.N {
		if _, _, err := LoadMNIST(dir); err != nil {
			b.Fatal(err)
		}
	}
}
