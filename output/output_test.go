package output

import (
	"errors"
	"testing"
)

type recorder struct {
	Publisher
	streams []string
}

func (r *recorder) Stream(name, text string) { r.streams = append(r.streams, name+":"+text) }

func TestCurrent(t *testing.T) {
	if Current() != Discard {
		t.Fatal("Current() with no cell running is not Discard")
	}
	r := &recorder{}
	prev := SetCurrent(r)
	if prev != Discard {
		t.Errorf("SetCurrent returned %v, want Discard", prev)
	}
	Current().Stream("stdout", "x")
	if len(r.streams) != 1 || r.streams[0] != "stdout:x" {
		t.Errorf("streams = %q", r.streams)
	}
	if got := SetCurrent(nil); got != r {
		t.Errorf("SetCurrent(nil) returned %v, want the recorder", got)
	}
	if Current() != Discard {
		t.Error("Current() after SetCurrent(nil) is not Discard")
	}
}

func TestDiscard(t *testing.T) {
	Discard.Stream("stdout", "dropped")
	Discard.Display(Text("x"), "id", true)
	Discard.ClearOutput(true)
	if _, err := Discard.Input("?", false); !errors.Is(err, ErrNoInput) {
		t.Errorf("Discard.Input error = %v, want ErrNoInput", err)
	}
	if b := Text("hi"); b.Data["text/plain"] != "hi" || b.Metadata == nil {
		t.Errorf("Text(hi) = %#v", b)
	}
}
