// Package nbrun executes a Jupyter notebook headless and in process, the
// way `jupyter nbconvert --execute` or papermill would with the gonn kernel,
// but with no Jupyter, no Python and no sockets: each code cell goes
// straight to an Executor (an *interp.Session), and what the cell publishes
// is stored as Jupyter stores it.
//
// Outputs follow Jupyter's rules: consecutive stream text on the same
// stream is merged (and carriage returns overwrite the line, as front ends
// and nbconvert show them); a display with a display id is updated in place
// by later updates, from any cell; clear_output clears at once or, with
// wait, just before the next output; a cell's final value becomes an
// execute_result; a failure becomes an error output. The notebook is written
// as nbformat 4.5, with the kernelspec and language_info of gonn.
//
// nbrun is to `gonn run` what the kernel package is to `gonn kernel`: it
// depends on interp, and interp does not know it exists.
package nbrun
