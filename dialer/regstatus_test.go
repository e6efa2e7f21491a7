package dialer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Each <stat> of 3GPP TS 27.007 §7.2, §10.1.20 and §10.1.22 in words, from
// the answers to the queries and from the unsolicited codes.
func TestRegistrationStatWords(t *testing.T) {
	type result struct {
		Stat  int
		OK    bool
		Words string
	}
	tests := []struct {
		line string
		want result
	}{
		{"+CREG: 0,0", result{0, true, "not searching"}},
		{"+CREG: 0,1", result{1, true, "registered, home"}},
		{"+CGREG: 0,2", result{2, true, "searching"}},
		{"+CREG: 0,3", result{3, true, "denied"}},
		{"+CGREG: 0,4", result{4, true, "unknown"}},
		{"+CEREG: 0,5", result{5, true, "registered, roaming"}},
		{"+CEREG: 0,6", result{6, true, "registered for SMS only, home"}},
		{"+CEREG: 0,7", result{7, true, "registered for SMS only, roaming"}},
		{"+CEREG: 0,8", result{8, true, "emergency bearer services only"}},
		{"+CEREG: 0,9", result{9, true, "registered, CSFB not preferred, home"}},
		{"+CEREG: 0,10", result{10, true, "registered, CSFB not preferred, roaming"}},
		{"+CREG: 2,5,\"00C3\",\"01A2B3C4\",7", result{5, true, "registered, roaming"}}, // query, location on
		{"+CGREG: 2", result{2, true, "searching"}},                                    // URC
		{"+CREG: 1,\"00C3\",\"01A2B3C4\",7", result{1, true, "registered, home"}},      // URC with location
		{"+CREG: 0,11", result{}},
		{"+CSQ: 20,99", result{}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			var got result
			got.Stat, got.OK = RegistrationStat(tt.line)
			if got.OK {
				got.Words = regStatWords(got.Stat)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
