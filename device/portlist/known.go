package portlist

// Roles of a module's USB interfaces.
const (
	RoleDiag  = "diagnostics (QCDM/DM)"
	RoleGNSS  = "GNSS (NMEA)"
	RoleAT    = "AT"
	RoleModem = "AT and PPP (modem port)"
	RoleAT2   = "AT (second port)"
	RoleAudio = "audio"
)

// Layout is what each USB interface of a module is usually for, in the
// module's default USB configuration. A module switched to another
// configuration (AT+QCFG="usbnet", AT#USBCFG, AT+CUSBPIDSWITCH) usually
// changes its product ID too, and then has no entry.
type Layout struct {
	VendorID, ProductID uint16
	// Model names the modules that share the product ID.
	Model string
	// Roles maps bInterfaceNumber to the interface's role. Interfaces
	// that are not ttys (the QMI or MBIM network interface) are left out.
	Roles map[int]string
}

// layouts lists only modules whose layout is documented by the vendor
// and matches the port types ModemManager's udev rules give them
// (77-mm-quectel-port-types.rules, 77-mm-simtech-port-types.rules,
// 77-mm-telit-port-types.rules). A wrong entry would send a user to the
// wrong port, so a module goes in only with a layout known for certain.
var layouts = []Layout{
	{0x2c7c, 0x0125, "Quectel EC25/EG25", map[int]string{0: RoleDiag, 1: RoleGNSS, 2: RoleAT, 3: RoleModem}},
	{0x2c7c, 0x0296, "Quectel BG96", map[int]string{0: RoleDiag, 1: RoleGNSS, 2: RoleAT, 3: RoleModem}},
	{0x1e0e, 0x9001, "SIMCom SIM7000/SIM7100/SIM7600", map[int]string{0: RoleDiag, 1: RoleGNSS, 2: RoleAT, 3: RoleModem, 4: RoleAudio}},
	{0x1bc7, 0x1201, "Telit LE910C1 (default USB configuration)", map[int]string{0: RoleDiag, 3: RoleGNSS, 4: RoleAT, 5: RoleAT2}},
}

// Known returns the layout of the module with the given USB IDs, or false
// if it is not one of the few this package knows.
func Known(vendorID, productID uint16) (Layout, bool) {
	for _, l := range layouts {
		if l.VendorID == vendorID && l.ProductID == productID {
			return l, true
		}
	}
	return Layout{}, false
}

// Role returns what the port is usually for, and the module it belongs
// to, or empty strings when the port is not on a known module's interface.
func (p Port) Role() (role, model string) {
	if p.USB == nil {
		return "", ""
	}
	l, ok := Known(p.USB.VendorID, p.USB.ProductID)
	if !ok {
		return "", ""
	}
	role, ok = l.Roles[p.USB.Interface]
	if !ok {
		return "", ""
	}
	return role, l.Model
}
