//go:build !linux

package main

// evictPageCache does nothing outside Linux (see evict_linux_test.go).
func evictPageCache(path string) error { return nil }
