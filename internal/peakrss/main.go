// Command peakrss runs a program and reports its wall time and its peak
// resident memory, which BenchmarkStartup (cmd/redline) compares with the
// start-up targets of redline search and redline stats.
//
// Usage:
//
//	peakrss PROGRAM [ARGS...]
//
// The program gets peakrss's standard input, output and error; when it
// has exited, peakrss writes one last line to standard error,
//
//	peakrss: wall=SECONDS maxrss=BYTES
//
// and exits with the program's exit code (1 if it could not be started).
//
// A benchmark cannot read a child's peak memory itself: Go starts a child
// sharing the parent's address space until exec (CLONE_VM, as vfork), and
// Linux then keeps the larger of the two peaks as the child's max RSS, so
// a test binary that starts redline directly reads its own size, not
// redline's. Started by peakrss, the program inherits the peak of peakrss
// only, a few megabytes. It is a package of its own because a benchmark
// builds and runs it as a separate program.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss PROGRAM [ARGS...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintf(os.Stderr, "peakrss: %v\n", err)
		os.Exit(1)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss)
		if runtime.GOOS != "darwin" {
			rss *= 1024 // Linux and the BSDs count kilobytes, macOS bytes
		}
	}
	fmt.Fprintf(os.Stderr, "peakrss: wall=%.6f maxrss=%d\n", wall.Seconds(), rss)
	os.Exit(cmd.ProcessState.ExitCode())
}
