//go:build race

package extract

// raceEnabled is set when the tests run with the race detector.
const raceEnabled = true
