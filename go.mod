module github.com/gonnlab/gonn

go 1.26.0
