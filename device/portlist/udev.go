package portlist

import (
	"fmt"
	"strings"
)

// IgnoreRulesFile is where IgnoreRules' output goes: udev reads
// /etc/udev/rules.d before ModemManager looks at a device, and the file
// outlives package upgrades.
const IgnoreRulesFile = "/etc/udev/rules.d/78-gprsppp-mm-ignore.rules"

// IgnoreRules returns udev rules that set ID_MM_DEVICE_IGNORE, which
// makes ModemManager leave a device alone in every filter policy (its
// "Modem filter" documentation, MM_FILTER_RULE_EXPLICIT_BLACKLIST): one
// line for each USB device among ports, matched by vendor and product ID,
// and one for each port that is not on USB, matched by its kernel name.
// It returns "" when ports is empty.
func IgnoreRules(ports []Port) string {
	var lines []string
	seen := make(map[string]bool)
	for _, p := range ports {
		var line string
		if p.USB != nil {
			line = fmt.Sprintf(`ATTRS{idVendor}=="%04x", ATTRS{idProduct}=="%04x", ENV{ID_MM_DEVICE_IGNORE}="1"`,
				p.USB.VendorID, p.USB.ProductID)
		} else {
			line = fmt.Sprintf(`KERNEL=="%s", ENV{ID_MM_DEVICE_IGNORE}="1"`, p.Name)
		}
		if !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("ACTION!=\"add|change|move|bind\", GOTO=\"gprsppp_mm_ignore_end\"\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString("LABEL=\"gprsppp_mm_ignore_end\"\n")
	return b.String()
}
