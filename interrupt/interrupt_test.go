package interrupt

import (
	"errors"
	"testing"
)

func TestRaiseCheckClear(t *testing.T) {
	defer Clear()
	Check() // no panic while clear
	if Pending() {
		t.Fatal("Pending before Raise")
	}
	Raise()
	if !Pending() {
		t.Fatal("not Pending after Raise")
	}
	func() {
		defer func() {
			r := recover()
			err, ok := r.(error)
			if !ok || !errors.Is(err, ErrInterrupted) {
				t.Fatalf("Check panicked with %v, want ErrInterrupted", r)
			}
		}()
		Check()
		t.Fatal("Check did not panic")
	}()
	Clear()
	if Pending() {
		t.Fatal("Pending after Clear")
	}
}
