// Command gonn is a Jupyter kernel for Go neural networks.
package main

func main() {}
