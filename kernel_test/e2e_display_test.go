package kernel_test

import (
	"path/filepath"
	"testing"
	"time"
)

// TestDisplay drives every display call through jupyter_client: the
// display_data, update_display_data and clear_output messages, display
// ids, rate-limited progress bars and live charts, valid nbformat outputs.
func TestDisplay(t *testing.T) {
	need(t)
	out := run(t, 5*time.Minute, python, "py/display_test.py", "-v")
	t.Log(out)
}

// TestDisplayBrowser runs testdata/display.ipynb in Debian's Jupyter
// Notebook server inside headless chromium, and opens its nbconvert HTML
// export, and checks that the output areas are drawn. The screenshots are
// left in build/display/ at the repository root. It skips when chromium or
// jupyter-notebook is missing, unless GONN_E2E=require.
func TestDisplayBrowser(t *testing.T) {
	need(t)
	if testing.Short() {
		t.Skip("a browser test (-short)")
	}
	shots, err := filepath.Abs(filepath.Join("..", "build", "display"))
	if err != nil {
		t.Fatal(err)
	}
	out := run(t, 8*time.Minute, python, "py/display_test.py", "--browser", shots, "-v")
	t.Log(out)
}
