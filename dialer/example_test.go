package dialer_test

import (
	"fmt"
	"strings"

	"github.com/gprsppp/gprsppp/dialer"
)

func ExampleParseChatScript() {
	s, err := dialer.ParseChatScript(strings.NewReader(`
ABORT 'NO CARRIER'
TIMEOUT 10
''  AT
OK  'AT+CGDCONT=1,"IP","$APN"'
OK  ATD*99***1#
CONNECT ''
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range s.Steps {
		fmt.Printf("%s: send %q, expect %q within %v\n", st.Name, st.Send, st.Expect, st.Timeout)
	}
	// Output:
	// line 4: send "AT", expect ["OK"] within 10s
	// line 5: send "AT+CGDCONT=1,\"IP\",\"$APN\"", expect ["OK"] within 10s
	// line 6: send "ATD*99***1#", expect ["CONNECT"] within 10s
}
