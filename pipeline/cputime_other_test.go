//go:build !linux

package pipeline

import "time"

// cpuTime is not known outside Linux (see cputime_linux_test.go).
func cpuTime() (time.Duration, bool) { return 0, false }
