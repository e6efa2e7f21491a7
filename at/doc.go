// Package at is the vocabulary of the AT command language that every
// emulated modem (DCE) shares: the command line syntax of ITU-T V.250 §5
// and 3GPP TS 27.007 §4, the final result codes of V.250 §5.7 with their
// verbose and numeric forms, the +CME ERROR and +CMS ERROR codes of
// 3GPP TS 27.007 §9.2 and TS 27.005 §3.2.5, and the "+++" escape
// sequence with guard times (V.250 §6.2.12, S12).
//
// It parses and formats; it keeps no state beyond what a caller holds
// and reads no clock: the escape detector is given the time of each
// input. The modem-side engine that runs command lines is package
// at/dce; a terminal (DTE) classifies what a modem sends with
// ParseResult.
//
//	cmds, err := at.ParseLine(`E0+CGDCONT=1,"IP","internet";+CGACT=1,1`)
//	for _, c := range cmds {
//		fmt.Println(c.Name, c.Op, c.Args()) // "E" "" [0] ...
//	}
//	f := at.Formatter{}                          // ATV1, ATQ0, AT+CMEE=0
//	out := f.AppendResult(nil, at.Final{Code: at.Connect, Text: "115200"})
package at
