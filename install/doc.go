// Package install writes gonn's Jupyter kernelspec: kernel.json, which tells
// Jupyter to run `gonn kernel {connection_file}`, and the logos front ends
// show beside the kernel's name.
//
// It installs to the same places as `jupyter kernelspec install`: the user's
// Jupyter data directory (honouring JUPYTER_DATA_DIR), a prefix's
// share/jupyter/kernels, or the sys.prefix of the Python that runs Jupyter.
package install
