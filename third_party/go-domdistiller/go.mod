module github.com/markusmobius/go-domdistiller

go 1.21

require (
	github.com/go-shiori/dom v0.0.0-20230515143342-73569d674e1c
	github.com/rs/zerolog v1.33.0
	github.com/yosssi/gohtml v0.0.0-20201013000340-ee4748c638f4
	golang.org/x/net v0.29.0
	golang.org/x/text v0.18.0
)
