package fsm

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rfcTable is the state transition table of RFC 1661 §4.1 as printed,
// with the "r", "p" and "x" annotations removed (those options are not
// implemented; "x" marks the crossed-connection case, which is the plain
// transition).
const rfcTable = `
      | Initial   Starting  Closed    Stopped   Closing   Stopping  Req-Sent  Ack-Rcvd  Ack-Sent    Opened
 Up   |    2     irc,scr/6     -         -         -         -         -         -         -           -
 Down |    -         -         0       tls/1       0         1         1         1         1         tld/1
 Open |  tls/1       1     irc,scr/6     3         5         5         6         7         8           9
 Close|    0       tlf/0       2         2         4         4     irc,str/4 irc,str/4 irc,str/4 tld,irc,str/4
 TO+  |    -         -         -         -       str/4     str/5     scr/6     scr/6     scr/8         -
 TO-  |    -         -         -         -       tlf/2     tlf/3     tlf/3     tlf/3     tlf/3         -
 RCR+ |    -         -       sta/2 irc,scr,sca/8   4         5       sca/8   sca,tlu/9   sca/8   tld,scr,sca/8
 RCR- |    -         -       sta/2 irc,scr,scn/6   4         5       scn/6     scn/7     scn/6   tld,scr,scn/6
 RCA  |    -         -       sta/2     sta/3       4         5       irc/7     scr/6   irc,tlu/9   tld,scr/6
 RCN  |    -         -       sta/2     sta/3       4         5     irc,scr/6   scr/6   irc,scr/8   tld,scr/6
 RTR  |    -         -       sta/2     sta/3     sta/4     sta/5     sta/6     sta/6     sta/6   tld,zrc,sta/5
 RTA  |    -         -         2         3       tlf/2     tlf/3       6         6         8       tld,scr/6
 RUC  |    -         -       scj/2     scj/3     scj/4     scj/5     scj/6     scj/7     scj/8       scj/9
 RXJ+ |    -         -         2         3         4         5         6         6         8           9
 RXJ- |    -         -       tlf/2     tlf/3     tlf/2     tlf/3     tlf/3     tlf/3     tlf/3   tld,irc,str/5
 RXR  |    -         -         2         3         4         5         6         7         8         ser/9
`

func TestTransitionFollowsRFC1661Table(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(rfcTable), "\n")
	for _, line := range lines[1:] {
		name, cells, _ := strings.Cut(line, "|")
		ev := parseEvent(t, strings.TrimSpace(name))
		for s, cell := range strings.Fields(cells) {
			st := State(s)
			t.Run(ev.String()+"/"+st.String(), func(t *testing.T) {
				next, actions, ok := Transition(st, ev)
				if cell == "-" {
					if ok {
						t.Errorf("Transition(%v, %v) = %v %v, want no transition", st, ev, next, actions)
					}
					return
				}
				wantActions, wantNext := parseCell(t, cell)
				if !ok {
					t.Fatalf("Transition(%v, %v): no transition, want %s", st, ev, cell)
				}
				if next != wantNext {
					t.Errorf("next state = %v, want %v", next, wantNext)
				}
				if diff := cmp.Diff(wantActions, actions); diff != "" {
					t.Errorf("actions (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func parseEvent(t *testing.T, name string) Event {
	t.Helper()
	for e := Up; e < numEvents; e++ {
		if e.String() == name {
			return e
		}
	}
	t.Fatalf("unknown event %q", name)
	return 0
}

func parseCell(t *testing.T, cell string) ([]Action, State) {
	t.Helper()
	acts, state, found := strings.Cut(cell, "/")
	if !found {
		acts, state = "", cell
	}
	n, err := strconv.Atoi(state)
	if err != nil {
		t.Fatalf("cell %q: %v", cell, err)
	}
	var actions []Action
	if acts != "" {
	next:
		for _, a := range strings.Split(acts, ",") {
			for act := TLU; act <= SER; act++ {
				if act.String() == a {
					actions = append(actions, act)
					continue next
				}
			}
			t.Fatalf("cell %q: unknown action %q", cell, a)
		}
	}
	return actions, State(n)
}

func TestTransitionOutOfRange(t *testing.T) {
	if _, _, ok := Transition(numStates, Up); ok {
		t.Error("transition from an unknown state")
	}
	if _, _, ok := Transition(Initial, numEvents); ok {
		t.Error("transition on an unknown event")
	}
}
