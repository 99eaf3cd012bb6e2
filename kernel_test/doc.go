// Package kernel_test holds gonn's end-to-end tests: they build the gonn
// binary, install its kernelspec into a temporary Jupyter data directory, and
// drive the real kernel through Debian's Jupyter clients (/usr/bin/python3
// with jupyter_client, jupyter_kernel_test, nbconvert and nbformat).
//
// The Python side lives in py/: protocol.py checks every message of protocol
// 5.3 with jupyter_client, suite.py runs the public jupyter_kernel_test suite,
// and bench.py measures round trips against ipykernel. The Go tests run them
// and fail with their output. TestDisplay and TestDisplayBrowser check
// display's messages and draw them in headless Chromium (screenshots in
// build/display/); TestNotebooks executes every notebook in notebooks/ with
// nbconvert and with `gonn run`, checks each one's accuracy goal and that it
// drew a picture, and leaves the executed notebooks and HTML exports in
// build/notebooks/.
//
// Without Debian's Jupyter the tests skip, unless GONN_E2E=require (set by
// `make test`), in which case they fail: CI never passes by skipping.
package kernel_test
