// Package sharedtest decides what a test does when the shared data beside
// the repository (../shared: real articles, gold, benchmarks) is missing:
// locally it skips with the reason, in CI (CI=true) it fails, since CI
// always lays ../shared beside the clone and a test that silently skips
// there would hide a broken path. It is its own package because tests of
// several packages need the one rule, and test files cannot share code
// across packages.
package sharedtest

import (
	"fmt"
	"os"
	"testing"
)

// Missing reports that the shared data a test needs is not there: it fails
// tb under CI=true and skips it otherwise, with the reason in both cases.
func Missing(tb testing.TB, args ...any) {
	tb.Helper()
	msg := fmt.Sprint(args...)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (CI=true: ../shared must be beside the repository)", msg)
		return
	}
	tb.Skip(msg)
}
