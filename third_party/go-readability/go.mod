module github.com/go-shiori/go-readability

go 1.20

require (
	github.com/araddon/dateparse v0.0.0-20210429162001-6b43995a97de
	github.com/go-shiori/dom v0.0.0-20230515143342-73569d674e1c
	golang.org/x/net v0.29.0
)
