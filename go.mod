module github.com/gprsppp/gprsppp

go 1.26.8
