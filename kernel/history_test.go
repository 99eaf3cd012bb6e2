package kernel

import (
	"encoding/json"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestHistory(t *testing.T) {
	h := history{session: 1}
	for i, code := range []string{"a := 1", "b := 2", "fmt.Println(a)", "a := 1", "x"} {
		h.add(i+1, code)
	}
	h.setOutput(5, "42")
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []struct {
		name string
		req  historyRequest
		want string
	}{
		{"tail 2", historyRequest{HistAccessType: "tail", N: ptr(2)}, `[[1,4,"a := 1"],[1,5,"x"]]`},
		{"tail more than there is", historyRequest{HistAccessType: "tail", N: ptr(10)}, `[[1,1,"a := 1"],[1,2,"b := 2"],[1,3,"fmt.Println(a)"],[1,4,"a := 1"],[1,5,"x"]]`},
		{"tail output", historyRequest{HistAccessType: "tail", N: ptr(2), Output: true}, `[[1,4,["a := 1",""]],[1,5,["x","42"]]]`},
		{"range", historyRequest{HistAccessType: "range", Session: 1, Start: 2, Stop: 4}, `[[1,2,"b := 2"],[1,3,"fmt.Println(a)"]]`},
		{"range session 0 is current", historyRequest{HistAccessType: "range", Session: 0, Start: 5, Stop: 6}, `[[1,5,"x"]]`},
		{"range other session", historyRequest{HistAccessType: "range", Session: -1, Start: 1, Stop: 6}, `[]`},
		{"range to the end", historyRequest{HistAccessType: "range", Session: 1, Start: 4}, `[[1,4,"a := 1"],[1,5,"x"]]`},
		{"search", historyRequest{HistAccessType: "search", Pattern: "a*"}, `[[1,1,"a := 1"],[1,4,"a := 1"]]`},
		{"search unique", historyRequest{HistAccessType: "search", Pattern: "a*", Unique: true}, `[[1,4,"a := 1"]]`},
		{"search n", historyRequest{HistAccessType: "search", Pattern: "*", N: ptr(2)}, `[[1,4,"a := 1"],[1,5,"x"]]`},
		{"search ?", historyRequest{HistAccessType: "search", Pattern: "?"}, `[[1,5,"x"]]`},
		{"search class", historyRequest{HistAccessType: "search", Pattern: "[ab] := [0-9]"}, `[[1,1,"a := 1"],[1,2,"b := 2"],[1,4,"a := 1"]]`},
		{"search metacharacters literal", historyRequest{HistAccessType: "search", Pattern: "*Println(a)"}, `[[1,3,"fmt.Println(a)"]]`},
		{"unknown access type", historyRequest{HistAccessType: "other"}, `[]`},
	}
	for _, c := range cases {
		if got := js(h.query(c.req)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestGlobRegexpUnicode(t *testing.T) {
	re := globRegexp("é?[ü]*")
	if !re.MatchString("éxü and more") || re.MatchString("exü") {
		t.Errorf("glob over non-ASCII text: %s", re)
	}
	if !globRegexp("").MatchString("line1\nline2") {
		t.Error("empty pattern must match multi-line input")
	}
}
