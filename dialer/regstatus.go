package dialer

import (
	"strconv"
	"strings"
)

// regWords says a registration <stat> in the words of 3GPP TS 27.007
// §7.2 (+CREG), §10.1.20 (+CGREG) and §10.1.22 (+CEREG), shortened: 6 to
// 10 exist only in +CEREG (and 6, 7 in +CREG on E-UTRAN).
var regWords = [...]string{
	0:  "not searching",
	1:  "registered, home",
	2:  "searching",
	3:  "denied",
	4:  "unknown",
	5:  "registered, roaming",
	6:  "registered for SMS only, home",
	7:  "registered for SMS only, roaming",
	8:  "emergency bearer services only",
	9:  "registered, CSFB not preferred, home",
	10: "registered, CSFB not preferred, roaming",
}

// regStatWords returns the words for a registration <stat>.
func regStatWords(stat int) string {
	if stat < 0 || stat >= len(regWords) {
		return "stat " + strconv.Itoa(stat)
	}
	return regWords[stat]
}

// RegistrationStat returns the <stat> of a +CREG, +CGREG or +CEREG line,
// the answer to a query or an unsolicited code, such as
// Connect.Registration holds: 1 registered (home), 5 registered
// (roaming), 2 searching, 3 denied, 0 neither registered nor searching,
// 4 unknown (3GPP TS 27.007 §7.2). It reports false for any other line.
func RegistrationStat(line string) (int, bool) {
	for _, q := range regQueries {
		if rest, ok := strings.CutPrefix(line, q.prefix); ok {
			return regStat(rest)
		}
	}
	return 0, false
}
