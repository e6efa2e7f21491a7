package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// The pattern is the one the pppd test VM serves, whose digest is known.
func TestPatternMatchesReference(t *testing.T) {
	const want = "0069fc0a49e7352d42f9162fc26680b63ba2c39a7c99bab2fded7a77441c5650"
	sum := sha256.Sum256(Pattern(4 << 20))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("sha256 %s, want %s", got, want)
	}
}
