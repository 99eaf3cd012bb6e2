// Package display turns values into Jupyter MIME bundles and shows them in
// the output of the running cell: tensors as tables, gonum plots, images,
// autograd graphs, progress bars and live training curves.
//
// # Automatic rendering
//
// Render is the kernel's renderer for a cell's final value (an
// interp.Renderer): a *tensor.Tensor becomes PyTorch-style text and an
// HTML table coloured by magnitude (TensorBundle), a *plot.Plot SVG and
// PNG (PlotBundle), an image.Image PNG, an nn.Module its layers and a
// table of its parameters (ModuleBundle), and nn.Summary's table an HTML
// table (SummaryBundle). Other values are left
// to the interpreter, which renders their own HTML, SVG, PNG, Markdown and
// MIMEBundle methods, so types defined in cells render too.
//
// # Showing from a cell
//
// HTML, Markdown, Latex, SVG, PNG, Image, JSON, Tensor, Plot, Line,
// Histogram, Heatmap, Images, Graph and Summary each publish one output;
// the renderers among them have a ...Bundle twin that returns the bundle
// instead (TensorBundle, PlotBundle, GraphBundle, ...). New shows a
// bundle and returns a Handle whose Update replaces it in place (Jupyter's
// display_id and update_display_data); ClearOutput clears the cell.
//
//	display.Heatmap(w.Grad())                  // a matrix, with a colour bar
//	display.Images(x.Slice(0, 0, 16), labels)  // digits with their predictions
//	display.Graph(loss)                        // the autograd graph, as SVG
//
// Graph draws the graph in Go, with no graphviz: layers left to right
// from the inputs to the output, each box showing the op and the shape,
// coloured by kind (inputs grey, parameters orange, ops blue, the output
// green), and after Backward the norms of the gradients kept. Deep graphs
// wrap into bands so that they stay readable at a notebook's width.
//
// # Progress and live charts
//
//	p := display.NewProgress(len(batches), "epoch 1")
//	c := display.NewLiveChart("loss")
//	for i, b := range batches {
//		loss := step(b)
//		p.Add(1)
//		p.SetMetrics(map[string]float64{"loss": loss})
//		c.Add("train", float64(i), loss)
//	}
//	p.Done()
//	c.Done()
//
// Both update in place, rate limited (a progress bar about five times a
// second, a chart twice), always showing their first updates and their
// final state; a skipped state is published by a timer once the interval
// has passed. Add costs well under a microsecond, so a loop may call it on
// every step.
//
// # Rules every bundle follows
//
// Every bundle has text/plain (what `jupyter console` shows) and a
// metadata object, never nil. Plot bundles never carry text/html, which
// front ends would prefer to the image. SVG carries its own width and
// height. The package's own charts thin each series to MaxPoints. Tables
// are summarised with ellipses, as PyTorch prints, so that their size is
// bounded whatever the tensor's.
//
// # Where outputs go
//
// Functions that show publish to output.Current, the publisher of the cell
// that is running; outside a cell they do nothing. A Handle (and so a
// Progress or LiveChart) keeps the publisher of the cell that made it.
package display
