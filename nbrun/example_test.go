package nbrun_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/nbrun"
	"github.com/gonnlab/gonn/output"
)

// echo is an Executor that prints each cell's source and returns its length.
type echo struct{}

func (echo) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	pub.Stream("stdout", code+"\n")
	b := output.Text(fmt.Sprint(len(code)))
	return &b, nil
}

// LanguageInfo is optional; Run stores it in the notebook's metadata.
func (echo) LanguageInfo() interp.LanguageInfo {
	return interp.LanguageInfo{Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go"}
}

func ExampleRun() {
	src := `{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
		{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": "x := 1"}]}`
	nb, err := nbrun.Read(strings.NewReader(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	nb.NewID = func() string { return "first" } // random by default
	if err := nbrun.Run(context.Background(), nb, echo{}, nbrun.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	nb.WriteTo(os.Stdout)
	// Output:
	// {
	//  "cells": [
	//   {
	//    "cell_type": "code",
	//    "execution_count": 1,
	//    "id": "first",
	//    "metadata": {},
	//    "outputs": [
	//     {
	//      "name": "stdout",
	//      "output_type": "stream",
	//      "text": [
	//       "x := 1\n"
	//      ]
	//     },
	//     {
	//      "data": {
	//       "text/plain": [
	//        "6"
	//       ]
	//      },
	//      "execution_count": 1,
	//      "metadata": {},
	//      "output_type": "execute_result"
	//     }
	//    ],
	//    "source": [
	//     "x := 1"
	//    ]
	//   }
	//  ],
	//  "metadata": {
	//   "kernelspec": {
	//    "display_name": "Go (gonn)",
	//    "language": "go",
	//    "name": "gonn"
	//   },
	//   "language_info": {
	//    "file_extension": ".go",
	//    "mimetype": "text/x-go",
	//    "name": "go",
	//    "nbconvert_exporter": "script",
	//    "version": "1.26"
	//   }
	//  },
	//  "nbformat": 4,
	//  "nbformat_minor": 5
	// }
}
